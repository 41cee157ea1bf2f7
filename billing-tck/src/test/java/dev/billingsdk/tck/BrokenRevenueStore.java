package dev.billingsdk.tck;

import dev.billingsdk.GrantId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryRevenueStore;
import dev.billingsdk.report.PartnerModule;
import dev.billingsdk.report.Payout;
import dev.billingsdk.spi.RevenueStore;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A revenue store with one deliberate mistake, over the in-memory store: for {@link
 * RevenueKitCatchesBrokenStoresTest}.
 */
final class BrokenRevenueStore implements RevenueStore {

  /** The mistakes a hand-written revenue store makes. */
  enum Mistake {
    NONE,
    /** The range's end is taken as inclusive. */
    UNTIL_INCLUSIVE,
    /** The page cursor is inclusive: the last row of a page comes again. */
    CURSOR_INCLUSIVE,
    /** A reversal comes without the debit it corrects. */
    REVERSAL_WITHOUT_DEBIT,
    /** Grants are looked up by id in every tenant. */
    GRANTS_ACROSS_TENANTS,
    /** A later publication at the same instant replaces the first. */
    LAST_PUBLICATION_WINS,
    /** A payout for a (partner, month) that has one replaces it. */
    PAYOUT_OVERWRITES,
    /** Looks for the payout, then inserts it: two racers both insert. */
    PAYOUT_CHECK_THEN_INSERT
  }

  private final Mistake mistake;
  private final InMemoryBillingStore ledger;
  private final InMemoryRevenueStore correct;
  private final Map<List<Object>, PartnerModule> modules = new ConcurrentHashMap<>();
  private final Map<List<Object>, Payout> payouts = new ConcurrentHashMap<>();

  BrokenRevenueStore(Mistake mistake, InMemoryBillingStore ledger) {
    this.mistake = mistake;
    this.ledger = ledger;
    this.correct = InMemoryRevenueStore.of(ledger);
  }

  @Override
  public List<Consumption> consumption(
      TenantId tenant, Instant from, Instant until, Optional<Position> after, int limit) {
    Instant end = mistake == Mistake.UNTIL_INCLUSIVE ? until.plusNanos(1) : until;
    Optional<Position> cursor =
        mistake == Mistake.CURSOR_INCLUSIVE
            ? after.map(p -> new Position(p.effectiveAt(), p.sequence() - 1))
            : after;
    List<Consumption> page = correct.consumption(tenant, from, end, cursor, limit);
    if (mistake == Mistake.REVERSAL_WITHOUT_DEBIT) {
      List<Consumption> out = new ArrayList<>();
      page.forEach(c -> out.add(new Consumption(c.transaction(), Optional.empty())));
      return out;
    }
    return page;
  }

  @Override
  public List<Grant> grants(TenantId tenant, Collection<GrantId> ids) {
    if (mistake != Mistake.GRANTS_ACROSS_TENANTS) {
      return correct.grants(tenant, ids);
    }
    List<Grant> out = new ArrayList<>(correct.grants(tenant, ids));
    TenantId upper = TenantId.of(tenant.value().toUpperCase(java.util.Locale.ROOT));
    out.addAll(correct.grants(upper, ids));
    return out;
  }

  @Override
  public Published publish(PartnerModule module) {
    if (mistake != Mistake.LAST_PUBLICATION_WINS) {
      return correct.publish(module);
    }
    modules.put(List.of(module.tenant(), module.module(), module.effectiveFrom()), module);
    return new Published(module, true);
  }

  @Override
  public List<PartnerModule> publications(TenantId tenant) {
    if (mistake != Mistake.LAST_PUBLICATION_WINS) {
      return correct.publications(tenant);
    }
    return modules.values().stream()
        .filter(m -> m.tenant().equals(tenant))
        .sorted(
            java.util.Comparator.comparing(PartnerModule::module)
                .thenComparing(PartnerModule::effectiveFrom))
        .toList();
  }

  @Override
  public PayoutInsert insertPayout(Payout payout) {
    List<Object> key = List.of(payout.tenant(), payout.partner(), payout.month());
    switch (mistake) {
      case PAYOUT_OVERWRITES -> {
        payouts.put(key, payout);
        return new PayoutInsert(payout, true);
      }
      case PAYOUT_CHECK_THEN_INSERT -> {
        Payout old = payouts.get(key);
        if (old != null) {
          return new PayoutInsert(old, false);
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        payouts.put(key, payout);
        return new PayoutInsert(payout, true);
      }
      default -> {
        return correct.insertPayout(payout);
      }
    }
  }

  private boolean ownPayouts() {
    return mistake == Mistake.PAYOUT_OVERWRITES || mistake == Mistake.PAYOUT_CHECK_THEN_INSERT;
  }

  @Override
  public Optional<Payout> findPayout(TenantId tenant, String partner, YearMonth month) {
    return ownPayouts()
        ? Optional.ofNullable(payouts.get(List.of(tenant, partner, month)))
        : correct.findPayout(tenant, partner, month);
  }

  @Override
  public List<Payout> payouts(TenantId tenant, YearMonth month) {
    if (!ownPayouts()) {
      return correct.payouts(tenant, month);
    }
    return payouts.values().stream()
        .filter(p -> p.tenant().equals(tenant) && p.month().equals(month))
        .sorted(java.util.Comparator.comparing(Payout::partner))
        .toList();
  }

  InMemoryBillingStore ledger() {
    return ledger;
  }
}
