package dev.billingsdk.examples;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.Billing;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import java.io.PrintStream;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The first program to run: one account, three kinds of credit, a quote, two charges, the balances
 * and the ledger, on the in-memory store. Run it with the quick-start command in {@code README.md}.
 *
 * <p>The clock is fixed and ids are sequential so that every run prints the same thing (the smoke
 * test relies on it). A host would use {@code Clock.systemUTC()} and the default random ids.
 */
public final class QuickStart {
  static final TenantId TENANT = TenantId.of("acme");
  static final AccountId ACCOUNT = AccountId.of("org-42");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");

  private final Billing billing;
  private final PrintStream out;

  private QuickStart(Billing billing, PrintStream out) {
    this.billing = billing;
    this.out = out;
  }

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the whole tour, printing to {@code out}. */
  public static void run(PrintStream out) {
    Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .ids(IdGenerator.sequential())
            .build();
    new QuickStart(billing, out).tour();
  }

  /**
   * The core API in a nutshell, on its own billing instance: README.md shows this method's body
   * (QuickStartTest checks that it is the same code).
   */
  static AccountBalance essentials(Clock clock) {
    // tag::readme[]
    Billing billing = Billing.builder().store(InMemoryBillingStore.create()).clock(clock).build();
    TenantId tenant = TenantId.of("acme");
    AccountId account = AccountId.of("org-42");
    CreditUnit credit = CreditUnit.of("CREDIT", 2);
    Actor admin = Actor.of("alice", Role.ADMIN);

    billing.credits().openAccount(OpenAccountRequest.of(tenant, account, credit, admin));
    Price paid = Price.of(Amount.of(CurrencyUnit.of("USD"), "1.00"), Amount.of(credit, "100"));
    billing
        .credits()
        .grant(
            GrantRequest.builder(tenant, account, Amount.of(credit, "500"))
                .category(GrantCategory.PURCHASED)
                .costBasis(CostBasis.paid(paid))
                .idempotencyKey("purchase-1001")
                .actor(admin)
                .reason("credit package bought")
                .build());
    billing
        .credits()
        .charge(
            ChargeRequest.of(
                tenant,
                account,
                Charge.usage("llm.tokens", Amount.of(credit, "12.50")),
                IdempotencyKey.of("usage-2025-03-01T09"),
                Actor.system("metering-job"),
                "LLM tokens, 09:00"));
    AccountBalance balance = billing.credits().balance(tenant, account); // 487.50 available
    // end::readme[]
    return balance;
  }

  private void tour() {
    out.println("== 0. The core API in a nutshell (the code in README.md)");
    AccountBalance essentials = essentials(Clock.fixed(NOW, ZoneOffset.UTC));
    out.printf("available after one charge: %s%n", essentials.available());

    out.println();
    Actor admin = Actor.of("alice", Role.ADMIN);
    Actor meteringJob = Actor.system("metering-job");

    out.println("== 1. Open an account and grant three kinds of credit");
    openAndGrant(billing, admin);
    printBalance();

    out.println();
    out.println("== 2. Charge 250.00 credits of LLM usage");
    ChargeResult usage = chargeUsage(billing, meteringJob);
    printCharge(usage);

    out.println();
    out.println("== 3. Quote a 120.00 fixed fee before charging it");
    Charge seatFee = Charge.of(ChargeKind.FIXED_FEE, "seat.monthly", Amount.of(CREDIT, "120"));
    printQuote(billing.credits().quote(TENANT, ACCOUNT, seatFee));

    out.println();
    out.println("== 4. Charge the fee");
    ChargeRequest feeRequest =
        ChargeRequest.of(
            TENANT,
            ACCOUNT,
            seatFee,
            IdempotencyKey.of("fee-seat-2025-03"),
            admin,
            "seat fee, March 2025");
    ChargeResult fee = billing.credits().charge(feeRequest);
    printCharge(fee);
    printRevenue(fee);

    out.println();
    out.println("== 5. Retry the fee with the same idempotency key");
    ChargeResult retry = billing.credits().charge(feeRequest);
    out.printf(
        "retry: replayed=%s, same transaction=%s (%s)%n",
        retry.replayed(),
        retry.transaction().id().equals(fee.transaction().id()),
        retry.transaction().id());
    try {
      billing
          .credits()
          .charge(
              ChargeRequest.of(
                  TENANT,
                  ACCOUNT,
                  Charge.of(ChargeKind.FIXED_FEE, "seat.monthly", Amount.of(CREDIT, "999")),
                  IdempotencyKey.of("fee-seat-2025-03"),
                  admin,
                  "seat fee, March 2025"));
      out.println("reused key with a different amount: written (unexpected)");
    } catch (IdempotencyConflictException e) {
      out.println("reused key with a different amount: refused, " + e.getMessage());
    }

    out.println();
    out.println("== 6. Final balances");
    printBalance();

    out.println();
    out.println("== 7. The ledger (every transaction's postings sum to zero)");
    printLedger(billing.ledger().transactions(TENANT, ACCOUNT));
  }

  /**
   * Opens the account and writes three grants. Priority decides first (lower pays first); among
   * equal priorities the one expiring soonest pays first, then free credits before paid ones.
   */
  static void openAndGrant(Billing billing, Actor admin) {
    billing.credits().openAccount(OpenAccountRequest.of(TENANT, ACCOUNT, CREDIT, admin));

    // A partner's allowance pays first (priority 10), but only for usage meters.
    billing
        .credits()
        .grant(
            GrantRequest.builder(TENANT, ACCOUNT, Amount.of(CREDIT, "300"))
                .category(GrantCategory.PARTNER_ALLOWANCE)
                .priority(10)
                .scope(Scope.allUsageMeters())
                .expiresAt(NOW.plus(Duration.ofDays(90)))
                .idempotencyKey("grant-partner-q1")
                .actor(admin)
                .reason("partner programme, Q1")
                .build());

    // Free promotional credits that expire in 30 days.
    billing
        .credits()
        .grant(
            GrantRequest.builder(TENANT, ACCOUNT, Amount.of(CREDIT, "100"))
                .category(GrantCategory.PROMOTIONAL)
                .expiresAt(NOW.plus(Duration.ofDays(30)))
                .idempotencyKey("grant-welcome")
                .actor(admin)
                .reason("welcome bonus")
                .build());

    // Purchased credits: 500 credits at USD 1.00 per 100, never expiring.
    Price paid = Price.of(Amount.of(USD, "1.00"), Amount.of(CREDIT, "100"));
    billing
        .credits()
        .grant(
            GrantRequest.builder(TENANT, ACCOUNT, Amount.of(CREDIT, "500"))
                .category(GrantCategory.PURCHASED)
                .costBasis(CostBasis.paid(paid))
                .idempotencyKey("grant-purchase-1001")
                .actor(admin)
                .reason("credit package bought")
                .build());
  }

  /** A usage charge from the host's metering job. */
  static ChargeResult chargeUsage(Billing billing, Actor meteringJob) {
    return billing
        .credits()
        .charge(
            ChargeRequest.of(
                TENANT,
                ACCOUNT,
                Charge.usage("llm.tokens", Amount.of(CREDIT, "250")),
                IdempotencyKey.of("usage-llm-2025-03-01T09"),
                meteringJob,
                "LLM tokens, hour 09:00"));
  }

  // ---------------------------------------------------------------- printing

  private void printBalance() {
    AccountBalance b = billing.credits().balance(TENANT, ACCOUNT);
    out.printf("balance of %s at %s%n", b.account().id(), b.at());
    out.printf("  %-22s %10s%n", "total", number(b.total()));
    out.printf("  %-22s %10s%n", "available", number(b.available()));
    for (GrantCategory c :
        List.of(
            GrantCategory.PARTNER_ALLOWANCE, GrantCategory.PROMOTIONAL, GrantCategory.PURCHASED)) {
      out.printf("  %-22s %10s%n", c, number(b.available(c)));
    }
    out.println("  grants in the order they pay:");
    for (GrantBalance g : b.grants()) {
      out.printf(
          "    %-6s %-18s priority %3d  %10s of %10s  expires %s  scope %s  cost %s%n",
          g.grant().id(),
          g.grant().category(),
          g.grant().priority(),
          number(g.remaining()),
          number(g.grant().amount()),
          g.grant().expiresAt().map(Instant::toString).orElse("never"),
          g.grant().scope(),
          g.grant().costBasis());
    }
  }

  private void printQuote(ChargeQuote q) {
    out.printf(
        "quote for %s %s of %s: %s%n",
        q.charge().kind(),
        q.charge().itemCode(),
        number(q.charge().amount()),
        q.wouldBeRejected() ? "would be REJECTED" : "would be paid");
    printAllocations(q.allocations());
    out.printf("  balance after: %s (nothing was written)%n", number(q.balanceAfter()));
  }

  private void printCharge(ChargeResult r) {
    out.printf(
        "%s %s: charged %s%n", r.transaction().type(), r.transaction().id(), number(r.charged()));
    printAllocations(r.allocations());
  }

  private void printAllocations(List<Allocation> allocations) {
    for (Allocation a : allocations) {
      out.printf("  %-6s %-18s pays %10s%n", a.grant(), a.category(), number(a.amount()));
    }
  }

  /** What the paid part of a charge is worth at each grant's cost basis: recognised revenue. */
  private void printRevenue(ChargeResult r) {
    for (Allocation a : r.allocations()) {
      a.costBasis()
          .price()
          .ifPresent(
              p ->
                  out.printf(
                      "  revenue recognised on %s: %s%n",
                      a.grant(), p.convert(a.amount(), RoundingMode.HALF_EVEN)));
    }
  }

  private void printLedger(List<LedgerTransaction> transactions) {
    for (LedgerTransaction t : transactions) {
      out.printf(
          "%-6s %-12s key=%s by %s: %s%n",
          t.id(), t.type(), t.idempotencyKey(), t.actor(), t.reason());
      for (Posting p : t.postings()) {
        String sign = p.amount().isNegative() ? "" : "+";
        out.printf("    %-12s %11s%n", p.account(), sign + number(p.amount()));
      }
    }
  }

  private static String number(Amount a) {
    return a.toDecimal().toPlainString();
  }
}
