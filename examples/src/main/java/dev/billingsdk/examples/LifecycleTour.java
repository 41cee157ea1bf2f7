package dev.billingsdk.examples;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.credit.SweepResult;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.setup.Billing;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The credit lifecycle on an AI platform, on an in-memory store and a clock the tour moves: reserve
 * credits before an LLM call and settle the actual cost, see a low-balance alert fire once, refund
 * part of a debit back to the grants it came from, and expire a promotional grant with a dry run
 * first.
 */
public final class LifecycleTour {
  static final TenantId TENANT = TenantId.of("acme-ai");
  static final AccountId ACCOUNT = AccountId.of("team-7");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final Instant START = Instant.parse("2026-08-01T09:00:00Z");

  private LifecycleTour() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** A clock the tour moves forward by hand. */
  static final class TourClock extends Clock {
    private Instant now;

    TourClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the tour runs in UTC");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Runs the tour, printing each step; returns the events the listener saw. */
  public static List<BillingEvent> run(PrintStream out) {
    TourClock clock = new TourClock(START);
    List<BillingEvent> seen = new ArrayList<>();
    Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(clock)
            .ids(IdGenerator.sequential())
            .listener(seen::add)
            .build();
    Actor admin = Actor.of("alice", Role.ADMIN);
    Actor gateway = Actor.system("llm-gateway");

    out.println("== 1. Open an account: 100 promotional credits for LLM tokens, 400 purchased");
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(TENANT, ACCOUNT, CREDIT).actor(admin).build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(TENANT, ACCOUNT, Amount.of(CREDIT, "100"))
                .category(GrantCategory.PROMOTIONAL)
                .priority(10)
                .scope(Scope.meters("llm.gpt.tokens"))
                .expiresAt(START.plus(Duration.ofDays(30)))
                .idempotencyKey(IdempotencyKey.of("promo-august"))
                .actor(admin)
                .reason("August promotion")
                .build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(TENANT, ACCOUNT, Amount.of(CREDIT, "400"))
                .category(GrantCategory.PURCHASED)
                .costBasis(
                    CostBasis.paid(
                        Price.of(
                            Amount.of(CurrencyUnit.of("USD"), "1.00"), Amount.of(CREDIT, "100"))))
                .idempotencyKey(IdempotencyKey.of("purchase-2001"))
                .actor(admin)
                .reason("credit package bought")
                .build());
    billing
        .credits()
        .configureLowBalanceAlert(
            TENANT,
            ACCOUNT,
            Optional.of(new LowBalanceAlert(Amount.of(CREDIT, "150"), Amount.of(CREDIT, "200"))),
            admin);
    printBalance(out, billing);

    out.println("== 2. Reserve 120 for an LLM call, then settle the actual 87.40");
    ReservationResult hold =
        billing
            .reservations()
            .reserve(
                ReserveRequest.builder(
                        TENANT, ACCOUNT, Charge.usage("llm.gpt.tokens", Amount.of(CREDIT, "120")))
                    .timeToLive(Duration.ofMinutes(5))
                    .idempotencyKey(IdempotencyKey.of("call-1/reserve"))
                    .actor(gateway)
                    .reason("LLM call 1")
                    .build());
    printBalance(out, billing);
    SettlementResult settled =
        billing
            .reservations()
            .settle(
                SettleRequest.builder(TENANT, hold.reservation().id(), Amount.of(CREDIT, "87.40"))
                    .idempotencyKey(IdempotencyKey.of("call-1/settle"))
                    .actor(gateway)
                    .reason("LLM call 1: 87.40 credits of tokens")
                    .build());
    out.printf("settled %s, released %s%n", settled.charged(), settled.released());
    printBalance(out, billing);

    out.println("== 3. A reservation the caller forgets expires by itself");
    billing
        .reservations()
        .reserve(
            ReserveRequest.builder(
                    TENANT, ACCOUNT, Charge.usage("llm.gpt.tokens", Amount.of(CREDIT, "50")))
                .timeToLive(Duration.ofMinutes(5))
                .idempotencyKey(IdempotencyKey.of("call-2/reserve"))
                .actor(gateway)
                .reason("LLM call 2")
                .build());
    clock.advance(Duration.ofMinutes(6));
    printBalance(out, billing);

    out.println("== 4. Usage takes the balance below the alert threshold (fires once)");
    ChargeResult big =
        billing
            .credits()
            .charge(
                ChargeRequest.builder(
                        TENANT, ACCOUNT, Charge.usage("gpu.hours", Amount.of(CREDIT, "270")))
                    .idempotencyKey(IdempotencyKey.of("gpu-0801"))
                    .actor(gateway)
                    .reason("GPU hours, 1 August")
                    .build());
    billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    TENANT, ACCOUNT, Charge.usage("gpu.hours", Amount.of(CREDIT, "10")))
                .idempotencyKey(IdempotencyKey.of("gpu-0802"))
                .actor(gateway)
                .reason("GPU hours, 2 August")
                .build());
    printBalance(out, billing);

    out.println("== 5. Refund 80 of the GPU debit: the credit goes back where it came from");
    var reversal =
        billing
            .credits()
            .reverse(
                ReverseRequest.builder(TENANT, ACCOUNT, big.transaction().id())
                    .amount(Amount.of(CREDIT, "80"))
                    .idempotencyKey(IdempotencyKey.of("refund-gpu-0801"))
                    .actor(admin)
                    .reason("GPU node failed for an hour")
                    .build());
    reversal
        .restorations()
        .forEach(r -> out.printf("restored %s to %s%n", r.restored(), r.grant().orElseThrow()));
    printBalance(out, billing);

    out.println("== 6. Thirty days on: the promotion expires (dry run first)");
    clock.advance(Duration.ofDays(30));
    SweepResult dryRun = billing.sweeps().expireGrants(TENANT, admin, true);
    dryRun.items().forEach(i -> out.printf("would expire %s of %s%n", i.amount(), i.subject()));
    SweepResult sweep = billing.sweeps().expireGrants(TENANT, admin, false);
    sweep.items().forEach(i -> out.printf("expired %s of %s%n", i.amount(), i.subject()));
    printBalance(out, billing);

    out.println("== 7. The audit history, newest first (first page of 5)");
    for (LedgerTransaction t :
        billing
            .ledger()
            .history(TENANT, ACCOUNT, TransactionFilter.all(), Optional.empty(), 5)
            .transactions()) {
      out.printf("%-12s %-22s %s%n", t.type(), t.actor().id(), t.reason());
    }

    out.println("== 8. Events the listener saw");
    seen.forEach(e -> out.println(e.getClass().getSimpleName()));
    return seen;
  }

  private static void printBalance(PrintStream out, Billing billing) {
    AccountBalance b = billing.credits().balance(TENANT, ACCOUNT);
    out.printf(
        "total %s, available %s, reserved %s%n",
        b.total().toDecimal().toPlainString(),
        b.available().toDecimal().toPlainString(),
        b.reserved().toDecimal().toPlainString());
  }
}
