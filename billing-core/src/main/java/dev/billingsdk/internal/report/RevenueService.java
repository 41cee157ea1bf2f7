package dev.billingsdk.internal.report;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.economy.Referral;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Rational;
import dev.billingsdk.money.Unit;
import dev.billingsdk.report.AgentRevenueRow;
import dev.billingsdk.report.PartnerModule;
import dev.billingsdk.report.PartnerRevenueRow;
import dev.billingsdk.report.Payout;
import dev.billingsdk.report.PayoutRequest;
import dev.billingsdk.report.PayoutRun;
import dev.billingsdk.report.RevenueQuery;
import dev.billingsdk.report.RevenueReports;
import dev.billingsdk.report.RevenueRow;
import dev.billingsdk.spi.EconomyStore;
import dev.billingsdk.spi.RevenueStore;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The revenue reports and the partner payout job; see {@link RevenueReports}. */
public final class RevenueService implements RevenueReports {
  private final RevenueStore store;
  private final EconomyStore economy;
  private final Clock clock;
  private final AccessPolicy access;
  private final Scanner scanner;

  public RevenueService(
      RevenueStore store, EconomyStore economy, Clock clock, AccessPolicy access) {
    this.store = store;
    this.economy = economy;
    this.clock = clock;
    this.access = access;
    this.scanner = new Scanner(store);
  }

  /** A partner reading for itself: PARTNER without ADMIN or FINANCE. */
  static boolean partnerOnly(Actor actor) {
    return actor.has(Role.PARTNER) && !actor.has(Role.ADMIN) && !actor.has(Role.FINANCE);
  }

  private void checkRead(Actor actor, TenantId tenant, boolean partnerMayRead) {
    access.check(actor, Operation.READ_REPORTS, tenant);
    if (!partnerMayRead && partnerOnly(actor)) {
      throw new AccessDeniedException(actor, Operation.READ_REPORTS, tenant);
    }
  }

  // ------------------------------------------------------------------------- true revenue

  @Override
  public List<RevenueRow> trueRevenue(RevenueQuery q) {
    InvalidRequestException.requireNonNull(q, "query");
    checkRead(q.actor(), q.tenant(), false);
    Map<List<Object>, Totals> rows = new TreeMap<>(KEY_ORDER);
    scanner.scan(
        q.tenant(),
        q.months(),
        q.zone(),
        m ->
            rows.computeIfAbsent(
                    List.of(m.month(), m.item(), m.currency().code(), m.creditUnit().code()),
                    k -> new Totals(m.creditUnit(), m.currency(), "the true revenue row " + k))
                .add(m));
    List<RevenueRow> out = new ArrayList<>();
    rows.forEach(
        (k, t) ->
            out.add(
                new RevenueRow(
                    (YearMonth) k.get(0),
                    (String) k.get(1),
                    t.credits(),
                    t.exact(),
                    t.round(t.exact(), q.rounding(), "revenue"),
                    t.provenance())));
    return List.copyOf(out);
  }

  /** Orders row keys element by element (each element is Comparable). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static final Comparator<List<Object>> KEY_ORDER =
      (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
          int c = ((Comparable) a.get(i)).compareTo(b.get(i));
          if (c != 0) {
            return c;
          }
        }
        return 0;
      };

  // ------------------------------------------------------------------------- settings

  /** The settings in force for a month: the last version saved before the month ended. */
  private Optional<SettingsVersion> settingsFor(
      List<SettingsVersion> history, YearMonth month, ZoneId zone) {
    Instant end = RevenueQuery.start(month.plusMonths(1), zone);
    SettingsVersion found = null;
    for (SettingsVersion v : history) {
      if (v.at().isBefore(end) && (found == null || v.version() > found.version())) {
        found = v;
      }
    }
    return Optional.ofNullable(found);
  }

  // ------------------------------------------------------------------------- partner revenue

  /** The partner of {@code module} at {@code at}, from the tenant's publications. */
  static Optional<String> partnerAt(List<PartnerModule> publications, String module, Instant at) {
    PartnerModule found = null;
    for (PartnerModule p : publications) {
      if (p.module().equals(module)
          && !p.effectiveFrom().isAfter(at)
          && (found == null || p.effectiveFrom().isAfter(found.effectiveFrom()))) {
        found = p;
      }
    }
    return Optional.ofNullable(found).map(PartnerModule::partner);
  }

  @Override
  public List<PartnerRevenueRow> partnerRevenue(RevenueQuery q) {
    InvalidRequestException.requireNonNull(q, "query");
    checkRead(q.actor(), q.tenant(), true);
    Optional<String> only = partnerOnly(q.actor()) ? Optional.of(q.actor().id()) : Optional.empty();
    return partnerRows(q.tenant(), q.months(), q.zone(), q.rounding(), only);
  }

  private List<PartnerRevenueRow> partnerRows(
      TenantId tenant,
      List<YearMonth> months,
      ZoneId zone,
      java.math.RoundingMode rounding,
      Optional<String> only) {
    List<PartnerModule> publications = store.publications(tenant);
    if (publications.isEmpty()
        || (only.isPresent()
            && publications.stream().noneMatch(p -> p.partner().equals(only.get())))) {
      return List.of();
    }
    Map<List<Object>, Totals> rows = new TreeMap<>(KEY_ORDER);
    scanner.scan(
        tenant,
        months,
        zone,
        m -> {
          Optional<String> partner = partnerAt(publications, m.item(), m.attributedAt());
          if (partner.isEmpty() || (only.isPresent() && !only.get().equals(partner.get()))) {
            return;
          }
          rows.computeIfAbsent(
                  List.of(
                      m.month(),
                      partner.get(),
                      m.item(),
                      m.currency().code(),
                      m.creditUnit().code()),
                  k -> new Totals(m.creditUnit(), m.currency(), "the partner revenue row " + k))
              .add(m);
        });
    List<SettingsVersion> history = economy.settingsHistory(tenant);
    List<PartnerRevenueRow> out = new ArrayList<>();
    rows.forEach(
        (k, t) -> {
          YearMonth month = (YearMonth) k.get(0);
          Optional<SettingsVersion> v = settingsFor(history, month, zone);
          Percentage share = v.map(s -> s.settings().partnerRevenueShare()).orElse(Percentage.ZERO);
          out.add(
              new PartnerRevenueRow(
                  month,
                  (String) k.get(1),
                  (String) k.get(2),
                  t.credits(),
                  t.exact(),
                  t.round(t.exact(), rounding, "revenue"),
                  share,
                  v.map(SettingsVersion::version).orElse(0),
                  t.round(t.exact().times(share.fraction()), rounding, "partnerShare"),
                  t.provenance()));
        });
    return List.copyOf(out);
  }

  // ------------------------------------------------------------------------- agent revenue

  @Override
  public List<AgentRevenueRow> agentRevenue(RevenueQuery q) {
    InvalidRequestException.requireNonNull(q, "query");
    checkRead(q.actor(), q.tenant(), false);
    Map<AccountId, Optional<Referral>> referrals = new HashMap<>();
    Map<List<Object>, Totals> rows = new TreeMap<>(KEY_ORDER);
    scanner.scan(
        q.tenant(),
        q.months(),
        q.zone(),
        m -> {
          Optional<Referral> r =
              referrals.computeIfAbsent(m.account(), a -> economy.referralOf(q.tenant(), a));
          // Consumption before the referral was recorded is not the agent's doing.
          if (r.isEmpty() || m.attributedAt().isBefore(r.get().at())) {
            return;
          }
          rows.computeIfAbsent(
                  List.of(
                      m.month(),
                      r.get().referrer().value(),
                      m.currency().code(),
                      m.creditUnit().code()),
                  k -> new Totals(m.creditUnit(), m.currency(), "the agent revenue row " + k))
              .add(m);
        });
    List<SettingsVersion> history = economy.settingsHistory(q.tenant());
    List<AgentRevenueRow> out = new ArrayList<>();
    rows.forEach(
        (k, t) -> {
          YearMonth month = (YearMonth) k.get(0);
          Optional<SettingsVersion> v = settingsFor(history, month, q.zone());
          Percentage share = v.map(s -> s.settings().agentRevenueShare()).orElse(Percentage.ZERO);
          out.add(
              new AgentRevenueRow(
                  month,
                  AccountId.of((String) k.get(1)),
                  t.accounts(),
                  t.credits(),
                  t.exact(),
                  t.round(t.exact(), q.rounding(), "revenue"),
                  share,
                  v.map(SettingsVersion::version).orElse(0),
                  t.round(t.exact().times(share.fraction()), q.rounding(), "commission"),
                  t.provenance()));
        });
    return List.copyOf(out);
  }

  // ------------------------------------------------------------------------- registry

  @Override
  public PartnerModule publishModule(
      TenantId tenant, String module, String partner, Instant effectiveFrom, Actor actor) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(actor, "actor");
    Identifiers.check(module, "module");
    Identifiers.check(partner, "partner");
    Instant from = InputContract.instant(effectiveFrom, "effectiveFrom");
    access.check(actor, Operation.RUN_PAYOUTS, tenant);
    Instant now = InputContract.now(clock);
    if (from.isBefore(now)) {
      throw new InvalidRequestException(
          "effectiveFrom", effectiveFrom, "must not be before now (" + now + ")");
    }
    RevenueStore.Published p =
        store.publish(new PartnerModule(tenant, module, partner, from, actor, now));
    if (!p.created() && !p.module().partner().equals(partner)) {
      throw new InvalidRequestException(
          "module",
          module,
          "is published for partner " + p.module().partner() + " from " + effectiveFrom);
    }
    return p.module();
  }

  @Override
  public List<PartnerModule> modules(TenantId tenant, Actor actor) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(actor, "actor");
    checkRead(actor, tenant, true);
    List<PartnerModule> all = store.publications(tenant);
    return partnerOnly(actor)
        ? all.stream().filter(p -> p.partner().equals(actor.id())).toList()
        : all;
  }

  // ------------------------------------------------------------------------- payouts

  @Override
  public PayoutRun runPayouts(PayoutRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.RUN_PAYOUTS, r.tenant());
    Instant now = InputContract.now(clock);
    Instant end = RevenueQuery.start(r.month().plusMonths(1), r.zone());
    if (now.isBefore(end)) {
      throw new InvalidRequestException(
          "month", r.month(), "is not over in " + r.zone() + " until " + end);
    }
    List<SettingsVersion> history = economy.settingsHistory(r.tenant());
    // The dry-run switch of the settings turns every run into a dry run.
    boolean dryRun =
        r.dryRun()
            || economy
                .latestSettings(r.tenant())
                .map(v -> v.settings().dryRunPartnerPayouts())
                .orElse(false);
    Optional<SettingsVersion> v = settingsFor(history, r.month(), r.zone());
    Percentage share = v.map(s -> s.settings().partnerRevenueShare()).orElse(Percentage.ZERO);
    int version = v.map(SettingsVersion::version).orElse(0);
    // Per partner and currency: the exact share of the exact revenue, rounded once per payout.
    Map<String, Map<Unit, Rational>> exact = new TreeMap<>();
    Map<String, Long> transactions = new HashMap<>();
    List<PartnerModule> publications = store.publications(r.tenant());
    if (!publications.isEmpty()) {
      Map<String, java.util.Set<Object>> seen = new HashMap<>();
      scanner.scan(
          r.tenant(),
          List.of(r.month()),
          r.zone(),
          m ->
              partnerAt(publications, m.item(), m.attributedAt())
                  .ifPresent(
                      partner -> {
                        exact
                            .computeIfAbsent(partner, p -> new TreeMap<>(UNIT_ORDER))
                            .merge(m.currency(), m.exactMinor(), Rational::plus);
                        seen.computeIfAbsent(partner, p -> new java.util.HashSet<>())
                            .add(m.transaction());
                      }));
      seen.forEach((p, s) -> transactions.put(p, (long) s.size()));
    }
    // Every partner's amounts are decided before any payout is written: an amount beyond a long
    // refuses the whole run, so no partner is paid out ahead of one that cannot be.
    Map<String, List<dev.billingsdk.money.Amount>> amountsOf = new TreeMap<>();
    for (Map.Entry<String, Map<Unit, Rational>> e : exact.entrySet()) {
      String partner = e.getKey();
      List<dev.billingsdk.money.Amount> amounts = new ArrayList<>();
      e.getValue()
          .forEach(
              (unit, value) ->
                  amounts.add(
                      dev.billingsdk.money.Amount.ofMinor(
                          unit,
                          Totals.fitting(
                              "amounts",
                              value.times(share.fraction()).round(r.rounding()),
                              unit,
                              "the payout of partner " + partner + " for " + r.month()))));
      amountsOf.put(partner, amounts);
    }
    List<Payout> created = new ArrayList<>();
    List<Payout> existing = new ArrayList<>();
    for (Map.Entry<String, List<dev.billingsdk.money.Amount>> e : amountsOf.entrySet()) {
      String partner = e.getKey();
      Optional<Payout> old = store.findPayout(r.tenant(), partner, r.month());
      if (old.isPresent()) {
        existing.add(old.get());
        continue;
      }
      Payout payout =
          new Payout(
              r.tenant(),
              partner,
              r.month(),
              r.zone(),
              share,
              version,
              e.getValue(),
              transactions.getOrDefault(partner, 0L),
              r.actor(),
              now);
      if (dryRun) {
        created.add(payout);
        continue;
      }
      RevenueStore.PayoutInsert insert = store.insertPayout(payout);
      (insert.created() ? created : existing).add(insert.payout());
    }
    return new PayoutRun(r.tenant(), r.month(), dryRun, created, existing);
  }

  private static final Comparator<Unit> UNIT_ORDER = Comparator.comparing(Unit::code);

  @Override
  public List<Payout> payouts(TenantId tenant, YearMonth month, Actor actor) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(actor, "actor");
    checkRead(actor, tenant, true);
    List<Payout> all = store.payouts(tenant, month);
    return partnerOnly(actor)
        ? all.stream().filter(p -> p.partner().equals(actor.id())).toList()
        : all;
  }
}
