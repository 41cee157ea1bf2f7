package dev.billingsdk.memory;

import dev.billingsdk.GrantId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.report.PartnerModule;
import dev.billingsdk.report.Payout;
import dev.billingsdk.spi.RevenueStore;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link RevenueStore} in memory, reading the ledger of the {@link InMemoryBillingStore} it is
 * made for: for tests, examples and single-process hosts.
 */
public final class InMemoryRevenueStore implements RevenueStore {
  private static final Comparator<LedgerTransaction> ORDER =
      Comparator.comparing(LedgerTransaction::effectiveAt)
          .thenComparingLong(LedgerTransaction::sequence);

  private record ModuleKey(String module, Instant effectiveFrom) {}

  private record PayoutKey(String partner, YearMonth month) {}

  /** One tenant's registry and payouts; every access holds its monitor. */
  private static final class Tenant {
    final TreeMap<ModuleKey, PartnerModule> modules =
        new TreeMap<>(
            Comparator.comparing(ModuleKey::module).thenComparing(ModuleKey::effectiveFrom));
    final TreeMap<PayoutKey, Payout> payouts =
        new TreeMap<>(Comparator.comparing(PayoutKey::month).thenComparing(PayoutKey::partner));
  }

  private final InMemoryBillingStore ledger;
  private final Map<TenantId, Tenant> tenants = new ConcurrentHashMap<>();

  private InMemoryRevenueStore(InMemoryBillingStore ledger) {
    this.ledger = ledger;
  }

  /** A revenue store over the ledger of {@code ledger}. */
  public static InMemoryRevenueStore of(InMemoryBillingStore ledger) {
    return new InMemoryRevenueStore(InvalidRequestException.requireNonNull(ledger, "store"));
  }

  private Tenant of(TenantId tenant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return tenants.computeIfAbsent(tenant, t -> new Tenant());
  }

  @Override
  public List<Consumption> consumption(
      TenantId tenant, Instant from, Instant until, Optional<Position> after, int limit) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(from, "from");
    InvalidRequestException.requireNonNull(until, "until");
    InvalidRequestException.requireNonNull(after, "after");
    RevenueStore.checkLimit(limit);
    List<LedgerTransaction> found = new ArrayList<>();
    for (LedgerTransaction t : ledger.tenantTransactions(tenant)) {
      if (!CONSUMPTION.contains(t.type())
          || t.effectiveAt().isBefore(from)
          || !t.effectiveAt().isBefore(until)) {
        continue;
      }
      if (after.isPresent()) {
        Position p = after.get();
        int c = t.effectiveAt().compareTo(p.effectiveAt());
        if (c < 0 || (c == 0 && t.sequence() <= p.sequence())) {
          continue;
        }
      }
      found.add(t);
    }
    found.sort(ORDER);
    List<Consumption> page = new ArrayList<>();
    for (LedgerTransaction t : found.subList(0, Math.min(limit, found.size()))) {
      Optional<CorrectedDebit> corrects =
          t.corrects()
              .flatMap(id -> ledger.findTransaction(tenant, id))
              .map(o -> new CorrectedDebit(o.id(), o.effectiveAt(), o.references()));
      page.add(new Consumption(t, corrects));
    }
    return List.copyOf(page);
  }

  @Override
  public List<Grant> grants(TenantId tenant, Collection<GrantId> ids) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(ids, "grants");
    List<Grant> out = new ArrayList<>();
    for (GrantId id : ids) {
      ledger.findGrant(tenant, id).map(GrantBalance::grant).ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  @Override
  public Published publish(PartnerModule module) {
    InvalidRequestException.requireNonNull(module, "module");
    Tenant t = of(module.tenant());
    synchronized (t) {
      ModuleKey key = new ModuleKey(module.module(), module.effectiveFrom());
      PartnerModule old = t.modules.putIfAbsent(key, module);
      return old == null ? new Published(module, true) : new Published(old, false);
    }
  }

  @Override
  public List<PartnerModule> publications(TenantId tenant) {
    Tenant t = of(tenant);
    synchronized (t) {
      return List.copyOf(t.modules.values());
    }
  }

  @Override
  public PayoutInsert insertPayout(Payout payout) {
    InvalidRequestException.requireNonNull(payout, "payout");
    Tenant t = of(payout.tenant());
    synchronized (t) {
      Payout old = t.payouts.putIfAbsent(new PayoutKey(payout.partner(), payout.month()), payout);
      return old == null ? new PayoutInsert(payout, true) : new PayoutInsert(old, false);
    }
  }

  @Override
  public Optional<Payout> findPayout(TenantId tenant, String partner, YearMonth month) {
    InvalidRequestException.requireNonNull(partner, "partner");
    InvalidRequestException.requireNonNull(month, "month");
    Tenant t = of(tenant);
    synchronized (t) {
      return Optional.ofNullable(t.payouts.get(new PayoutKey(partner, month)));
    }
  }

  @Override
  public List<Payout> payouts(TenantId tenant, YearMonth month) {
    InvalidRequestException.requireNonNull(month, "month");
    Tenant t = of(tenant);
    synchronized (t) {
      List<Payout> out = new ArrayList<>();
      t.payouts.forEach(
          (k, v) -> {
            if (k.month().equals(month)) {
              out.add(v);
            }
          });
      return List.copyOf(out);
    }
  }
}
