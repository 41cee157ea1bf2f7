package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Price;
import dev.billingsdk.report.PartnerModule;
import dev.billingsdk.report.Payout;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.RevenueStore;
import dev.billingsdk.spi.RevenueStore.Consumption;
import dev.billingsdk.spi.RevenueStore.Position;
import dev.billingsdk.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of the revenue part of the storage SPI ({@link RevenueStore}): consumption reads are a
 * tenant's debits and reversals in an effective-time range, in (effective time, sequence) order,
 * paged without loss or repetition, each reversal with the debit it corrects; grant terms read back
 * exactly; the partner-module registry keeps the first publication of a module at an instant; a
 * payout is written once per (tenant, partner, month), also when two instances race. An adapter
 * extends it and supplies {@link #billingStore()} and {@link #store()} on the same data (and {@link
 * #secondInstance()} for stores shared between processes); every test uses a fresh tenant.
 */
public abstract class RevenueStoreTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected RevenueStoreTck() {}

  /** The billing store whose ledger {@link #store()} reads. */
  protected abstract BillingStore billingStore();

  /** The store under test. May be shared across tests: each test uses a fresh tenant. */
  protected abstract RevenueStore store();

  /** A second instance on the same storage, as a second process would have. Default: the same. */
  protected RevenueStore secondInstance() {
    return store();
  }

  /** Writers racing (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CurrencyUnit JPY = CurrencyUnit.of("JPY");
  static final Actor FINANCE = Actor.of("finance-lead", Role.FINANCE, Role.ADMIN);
  static final Instant T0 = Instant.parse("2026-01-31T23:59:59.123456Z");
  static final YearMonth JAN = YearMonth.of(2026, 1);

  private TenantId tenant = TenantId.of("x");
  private int keys;

  @BeforeEach
  void freshTenant() {
    tenant = TenantId.of("rev-" + UUID.randomUUID());
  }

  // ---------------------------------------------------------------- a small ledger to read

  private final class Ledger {
    final TestClock clock = new TestClock(T0);
    final Billing billing = Billing.builder().store(billingStore()).clock(clock).build();

    void open(TenantId t, String account) {
      billing
          .credits()
          .openAccount(
              OpenAccountRequest.builder(t, AccountId.of(account), CREDIT).actor(FINANCE).build());
    }

    GrantId grant(TenantId t, String account, long credits, CostBasis basis) {
      return billing
          .credits()
          .grant(
              GrantRequest.builder(t, AccountId.of(account), Amount.of(CREDIT, credits))
                  .category(basis.isFree() ? GrantCategory.PROMOTIONAL : GrantCategory.PURCHASED)
                  .costBasis(basis)
                  .idempotencyKey(IdempotencyKey.of("g-" + ++keys))
                  .actor(FINANCE)
                  .reason("kit")
                  .build())
          .grant()
          .id();
    }

    ChargeResult use(TenantId t, String account, String item, long credits) {
      return billing
          .credits()
          .charge(
              ChargeRequest.builder(
                      t,
                      AccountId.of(account),
                      Charge.of(ChargeKind.USAGE, item, Amount.of(CREDIT, credits)))
                  .idempotencyKey(IdempotencyKey.of("c-" + ++keys))
                  .actor(FINANCE)
                  .reason("kit")
                  .build());
    }

    void reverse(TenantId t, String account, LedgerTransaction original, long credits) {
      billing
          .credits()
          .reverse(
              ReverseRequest.builder(t, AccountId.of(account), original.id())
                  .amount(Amount.of(CREDIT, credits))
                  .idempotencyKey(IdempotencyKey.of("r-" + ++keys))
                  .actor(FINANCE)
                  .reason("kit")
                  .build());
    }
  }

  static CostBasis paid(String usd, long per) {
    return CostBasis.paid(Price.of(Amount.of(USD, usd), Amount.of(CREDIT, per)));
  }

  private List<Consumption> all(Instant from, Instant until, int limit) {
    List<Consumption> out = new ArrayList<>();
    Optional<Position> after = Optional.empty();
    for (int pages = 0; pages < 1_000; pages++) {
      List<Consumption> page = store().consumption(tenant, from, until, after, limit);
      assertThat(page.size()).as("page size").isLessThanOrEqualTo(limit);
      out.addAll(page);
      if (page.size() < limit) {
        return out;
      }
      after = Optional.of(Position.of(page.get(page.size() - 1).transaction()));
    }
    throw new AssertionError("paging never ended");
  }

  @Nested
  @DisplayName("Consumption: the tenant's debits and reversals in range, in order, paged")
  class Consumptions {

    @Test
    void required_consumptionIsTheDebitsAndReversalsInRangeInOrder() {
      Ledger l = new Ledger();
      TenantId other = TenantId.of(tenant.value().toUpperCase(Locale.ROOT));
      for (TenantId t : List.of(tenant, other)) {
        l.open(t, "alice");
        l.open(t, "bob");
        l.grant(t, "alice", 1_000, paid("10.00", 1_000));
        l.grant(t, "bob", 1_000, CostBasis.free());
      }
      Instant from = T0.plusSeconds(10);
      Instant until = T0.plusSeconds(100);
      l.use(tenant, "alice", "gpu", 1); // before the range
      l.clock.set(from);
      ChargeResult first = l.use(tenant, "alice", "llm-tokens", 30); // at from: inside
      l.use(tenant, "bob", "gpu", 20); // same instant, another account
      l.use(other, "alice", "gpu", 5); // another tenant
      for (int i = 0; i < 5; i++) {
        l.clock.advance(Duration.ofMillis(1_234));
        l.use(tenant, i % 2 == 0 ? "alice" : "bob", "storage-" + i, 1 + i);
      }
      l.clock.advance(Duration.ofSeconds(1));
      l.reverse(tenant, "alice", first.transaction(), 7);
      l.grant(tenant, "alice", 5, CostBasis.free()); // a grant is no consumption
      l.clock.set(until);
      l.use(tenant, "alice", "gpu", 2); // at until: outside

      List<LedgerTransaction> expected = new ArrayList<>();
      for (String a : List.of("alice", "bob")) {
        for (LedgerTransaction t : billingStore().transactions(tenant, AccountId.of(a))) {
          if (RevenueStore.CONSUMPTION.contains(t.type())
              && !t.effectiveAt().isBefore(from)
              && t.effectiveAt().isBefore(until)) {
            expected.add(t);
          }
        }
      }
      expected.sort(
          Comparator.comparing(LedgerTransaction::effectiveAt)
              .thenComparingLong(LedgerTransaction::sequence));
      assertThat(expected).hasSize(8);
      for (int limit : List.of(1, 2, 3, 1_000)) {
        List<Consumption> read = all(from, until, limit);
        assertThat(read).extracting(Consumption::transaction).containsExactlyElementsOf(expected);
        for (Consumption c : read) {
          if (c.transaction().corrects().isPresent()) {
            assertThat(c.corrects()).isPresent();
            assertThat(c.corrects().get().id()).isEqualTo(first.transaction().id());
            assertThat(c.corrects().get().effectiveAt())
                .isEqualTo(first.transaction().effectiveAt());
            assertThat(c.corrects().get().references()).isEqualTo(first.transaction().references());
          } else {
            assertThat(c.corrects()).isEmpty();
          }
        }
      }
      assertThat(secondInstance().consumption(tenant, from, until, Optional.empty(), 1_000))
          .isEqualTo(store().consumption(tenant, from, until, Optional.empty(), 1_000));
      assertThat(store().consumption(tenant, until, until.plusSeconds(1), Optional.empty(), 10))
          .hasSize(1);
      assertThat(
              store()
                  .consumption(
                      TenantId.of("nobody-" + UUID.randomUUID()),
                      from,
                      until,
                      Optional.empty(),
                      10))
          .isEmpty();
    }

    @Test
    void required_grantsReadBackExactlyWithinTheirTenant() {
      Ledger l = new Ledger();
      l.open(tenant, "alice");
      GrantId paid = l.grant(tenant, "alice", 1_000, paid("10.01", 999));
      GrantId free = l.grant(tenant, "alice", 20, CostBasis.free());
      TenantId other = TenantId.of(tenant.value().toUpperCase(Locale.ROOT));
      l.open(other, "alice");
      GrantId elsewhere = l.grant(other, "alice", 5, paid("1.00", 100));
      List<Grant> read =
          store().grants(tenant, List.of(paid, free, elsewhere, GrantId.of("grt_unknown")));
      List<Grant> expected =
          List.of(
              billingStore().findGrant(tenant, paid).orElseThrow().grant(),
              billingStore().findGrant(tenant, free).orElseThrow().grant());
      assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(store().grants(tenant, List.of())).isEmpty();
    }
  }

  // ---------------------------------------------------------------- registry

  PartnerModule publication(String module, String partner, Instant from) {
    return new PartnerModule(tenant, module, partner, from, FINANCE, T0);
  }

  @Nested
  @DisplayName("Registry: publications read back, the first at an instant stays")
  class Registry {

    @Test
    void required_publicationsReadBackByModuleThenTimeAndTheFirstStays() {
      PartnerModule b2 = publication("module-b", "partner-2", T0.plusSeconds(60));
      PartnerModule a1 = publication("module-a", "partner-1", T0.plusSeconds(60));
      PartnerModule b1 = publication("module-b", "partner-1", T0);
      for (PartnerModule p : List.of(b2, a1, b1)) {
        assertThat(store().publish(p)).isEqualTo(new RevenueStore.Published(p, true));
      }
      RevenueStore.Published again = store().publish(publication("module-b", "partner-9", T0));
      assertThat(again).isEqualTo(new RevenueStore.Published(b1, false));
      assertThat(store().publications(tenant)).containsExactly(a1, b1, b2);
      assertThat(secondInstance().publications(tenant)).containsExactly(a1, b1, b2);
      TenantId upper = TenantId.of(tenant.value().toUpperCase(Locale.ROOT));
      assertThat(store().publications(upper)).isEmpty();
    }

    @Test
    void required_publishersRacingForOneInstantLeaveOneWinner() {
      int threads = Math.max(2, concurrentThreads());
      List<RevenueStore.Published> outcomes =
          Races.race(
              threads,
              i -> {
                RevenueStore through = i % 2 == 0 ? store() : secondInstance();
                PartnerModule mine = publication("contested", "partner-" + i, T0);
                return () -> through.publish(mine);
              });
      assertThat(outcomes.stream().filter(RevenueStore.Published::created)).hasSize(1);
      PartnerModule winner = store().publications(tenant).get(0);
      assertThat(outcomes).allSatisfy(o -> assertThat(o.module()).isEqualTo(winner));
      assertThat(store().publications(tenant)).hasSize(1);
    }
  }

  // ---------------------------------------------------------------- payouts

  Payout payout(String partner, YearMonth month, long cents, String zone) {
    return new Payout(
        tenant,
        partner,
        month,
        ZoneId.of(zone),
        Percentage.of("12.3456"),
        3,
        List.of(Amount.ofMinor(JPY, 1_234_567), Amount.ofMinor(USD, cents)),
        42,
        FINANCE,
        T0);
  }

  @Nested
  @DisplayName("Payouts: once per tenant, partner and month, also racing")
  class Payouts {

    @Test
    void required_aPayoutReadsBackExactlyAndIsWrittenOnce() {
      Payout p = payout("partner-1", JAN, 150, "Asia/Kathmandu");
      Payout q = payout("partner-0", JAN, 0, "UTC");
      Payout feb = payout("partner-1", JAN.plusMonths(1), -15, "America/St_Johns");
      assertThat(store().insertPayout(p)).isEqualTo(new RevenueStore.PayoutInsert(p, true));
      assertThat(store().insertPayout(q).created()).isTrue();
      assertThat(store().insertPayout(feb).created()).isTrue();
      assertThat(store().insertPayout(payout("partner-1", JAN, 999, "UTC")))
          .isEqualTo(new RevenueStore.PayoutInsert(p, false));
      assertThat(store().findPayout(tenant, "partner-1", JAN)).contains(p);
      assertThat(store().findPayout(tenant, "PARTNER-1", JAN)).isEmpty();
      assertThat(store().payouts(tenant, JAN)).containsExactly(q, p);
      assertThat(secondInstance().payouts(tenant, JAN.plusMonths(1))).containsExactly(feb);
      TenantId upper = TenantId.of(tenant.value().toUpperCase(Locale.ROOT));
      assertThat(store().payouts(upper, JAN)).isEmpty();
      assertThat(store().findPayout(upper, "partner-1", JAN)).isEmpty();
    }

    @Test
    void required_payoutsRacingThroughTwoInstancesLeaveOneWinner() {
      int threads = Math.max(2, concurrentThreads());
      for (int round = 0; round < 4; round++) {
        String partner = "partner-" + round;
        List<RevenueStore.PayoutInsert> outcomes =
            Races.race(
                threads,
                i -> {
                  RevenueStore through = i % 2 == 0 ? store() : secondInstance();
                  Payout mine = payout(partner, JAN, 100 + i, "UTC");
                  return () -> through.insertPayout(mine);
                });
        assertThat(outcomes.stream().filter(RevenueStore.PayoutInsert::created)).hasSize(1);
        Payout stored = store().findPayout(tenant, partner, JAN).orElseThrow();
        assertThat(outcomes).allSatisfy(o -> assertThat(o.payout()).isEqualTo(stored));
      }
      assertThat(store().payouts(tenant, JAN)).hasSize(4);
    }
  }
}
