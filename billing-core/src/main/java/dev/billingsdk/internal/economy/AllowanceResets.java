package dev.billingsdk.internal.economy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.economy.AllowanceReset;
import dev.billingsdk.economy.AllowanceResetRequest;
import dev.billingsdk.economy.ResetMovement;
import dev.billingsdk.economy.ResetMovement.Kind;
import dev.billingsdk.economy.ResetMovement.State;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.internal.credit.CreditService;
import dev.billingsdk.internal.credit.SweepService;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.BillingStore;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The monthly partner allowance reset. Each movement is its own transaction under a key derived
 * from what it moves: an old allowance's remainder expires under the expiry sweep's key for that
 * grant (so the sweep and the reset never both post it), and the month's allowance is granted under
 * {@code billing:partner-allowance:<account>:<yyyy-MM>}. A rerun, or a second instance running at
 * the same time, posts only what is missing.
 *
 * <p>The month's allowance is effective from the month's first instant and expires at the next
 * month's first instant (both in the settings' zone): a charge at exactly the month's start is paid
 * by the new allowance, never by the old one.
 */
final class AllowanceResets {
  /** The metadata key naming the month an allowance grant is for. */
  static final String MONTH = "allowance.month";

  private final BillingStore store;
  private final CreditService credits;
  private final SweepService sweeps;
  private final Clock clock;

  AllowanceResets(BillingStore store, CreditService credits, SweepService sweeps, Clock clock) {
    this.store = store;
    this.credits = credits;
    this.sweeps = sweeps;
    this.clock = clock;
  }

  static IdempotencyKey allowanceKey(AccountId account, YearMonth month) {
    return IdempotencyKey.of("billing:partner-allowance:" + account.value() + ":" + month);
  }

  AllowanceReset run(AllowanceResetRequest request, SettingsVersion s) {
    TenantId tenant = request.tenant();
    YearMonth month = request.month();
    ZoneId zone = s.settings().calendarZone();
    Instant start = month.atDay(1).atStartOfDay(zone).toInstant();
    Instant end = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    Instant previousStart = month.minusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    Instant now = clock.instant();
    if (now.isBefore(start)) {
      throw new InvalidRequestException(
          "month", month, "has not started in " + zone + " (it starts at " + start + ")");
    }
    if (!now.isBefore(end)) {
      throw new InvalidRequestException(
          "month", month, "has ended in " + zone + " (it ended at " + end + ")");
    }
    // Decide, before writing anything: every partner open, in the settings' unit.
    for (Map.Entry<AccountId, Amount> e : request.allowances().entrySet()) {
      EconomyService.account(store, tenant, e.getKey(), s);
      if (!e.getValue().unit().equals(s.settings().creditUnit())) {
        throw new InvalidRequestException(
            "allowance",
            e.getValue(),
            "must be in " + s.settings().creditUnit() + ", the unit of the settings");
      }
    }
    boolean bySettings = s.settings().dryRunMonthlyReset();
    boolean dry = bySettings || request.dryRun().orElse(false);
    List<ResetMovement> movements = new ArrayList<>();
    for (Map.Entry<AccountId, Amount> e : request.allowances().entrySet()) {
      AccountId account = e.getKey();
      expireOld(tenant, account, start, previousStart, request.actor(), dry, movements);
      movements.add(grant(request, s, account, e.getValue(), start, end, dry));
    }
    return new AllowanceReset(tenant, month, dry, bySettings, s.version(), movements);
  }

  /** The remainders of allowances that expired by the month's start. */
  private void expireOld(
      TenantId tenant,
      AccountId account,
      Instant start,
      Instant previousStart,
      Actor actor,
      boolean dry,
      List<ResetMovement> out) {
    List<GrantBalance> old =
        store.grants(tenant, account).stream()
            .filter(g -> g.grant().category().equals(GrantCategory.PARTNER_ALLOWANCE))
            .filter(g -> !g.voided())
            .filter(g -> g.grant().expiresAt().map(x -> !x.isAfter(start)).orElse(false))
            .sorted(Comparator.comparing(g -> g.grant().sequence()))
            .toList();
    for (GrantBalance g : old) {
      GrantId id = g.grant().id();
      Instant expiredAt = g.grant().expiresAt().orElseThrow();
      IdempotencyKey key = SweepService.expiryKey(id);
      if (g.remaining().isPositive()) {
        Optional<LedgerTransaction> t = sweeps.expireGrant(g, actor, dry);
        if (t.isPresent()) {
          out.add(
              new ResetMovement(
                  account,
                  Kind.EXPIRE_REMAINDER,
                  SweepService.expired(t.get(), g.remaining().unit()),
                  Optional.of(id),
                  expiredAt,
                  key,
                  dry ? State.WOULD_POST : State.POSTED));
          continue;
        }
      }
      // Expired before (by an earlier run, another instance or the sweep): reported for last
      // month's allowance only, so a rerun says what happened and older months stay quiet.
      if (expiredAt.isAfter(previousStart)) {
        store
            .findTransaction(tenant, key)
            .ifPresent(
                t ->
                    out.add(
                        new ResetMovement(
                            account,
                            Kind.EXPIRE_REMAINDER,
                            SweepService.expired(t, g.remaining().unit()),
                            Optional.of(id),
                            expiredAt,
                            key,
                            State.POSTED_BEFORE)));
      }
    }
  }

  private ResetMovement grant(
      AllowanceResetRequest request,
      SettingsVersion s,
      AccountId account,
      Amount allowance,
      Instant start,
      Instant end,
      boolean dry) {
    TenantId tenant = request.tenant();
    IdempotencyKey key = allowanceKey(account, request.month());
    Optional<LedgerTransaction> prior = store.findTransaction(tenant, key);
    if (prior.isPresent()) {
      return before(tenant, account, start, key, prior.get(), allowance);
    }
    if (dry) {
      return new ResetMovement(
          account, Kind.GRANT_ALLOWANCE, allowance, Optional.empty(), start, key, State.WOULD_POST);
    }
    GrantRequest grant =
        GrantRequest.builder(tenant, account, allowance)
            .category(GrantCategory.PARTNER_ALLOWANCE)
            .name("Partner allowance " + request.month())
            .effectiveFrom(start)
            .expiresAt(end)
            .metadata(
                Map.of(
                    MONTH,
                    request.month().toString(),
                    EconomyService.SETTINGS_VERSION,
                    Integer.toString(s.version())))
            .idempotencyKey(key)
            .actor(request.actor())
            .reason("monthly partner allowance")
            .build();
    try {
      GrantResult made = credits.grantAuthorised(grant);
      return new ResetMovement(
          account,
          Kind.GRANT_ALLOWANCE,
          made.grant().amount(),
          Optional.of(made.grant().id()),
          start,
          key,
          made.replayed() ? State.POSTED_BEFORE : State.POSTED);
    } catch (IdempotencyConflictException e) {
      // Another run granted the month first with other terms (another actor or amount).
      return before(
          tenant, account, start, key, store.findTransaction(tenant, key).orElseThrow(), allowance);
    }
  }

  private ResetMovement before(
      TenantId tenant,
      AccountId account,
      Instant start,
      IdempotencyKey key,
      LedgerTransaction t,
      Amount asked) {
    GrantId id = CreditService.grantsMadeBy(t).get(0);
    Amount granted = store.findGrant(tenant, id).map(g -> g.grant().amount()).orElse(asked);
    return new ResetMovement(
        account, Kind.GRANT_ALLOWANCE, granted, Optional.of(id), start, key, State.POSTED_BEFORE);
  }
}
