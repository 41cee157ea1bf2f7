package dev.billingsdk.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
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
import dev.billingsdk.jdbc.Dialect;
import dev.billingsdk.jdbc.JdbcBillingStore;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.setup.Billing;
import java.io.PrintStream;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The first program to run: one account, three kinds of credit, a quote, two charges, the balances
 * and the ledger, stored in an embedded H2 file database through {@code billing-jdbc}; then a
 * restart on the same file, which finds everything as it was. Run it with the quick-start command
 * in {@code README.md}.
 *
 * <p>Every write carries a fixed idempotency key, so the program can run any number of times on the
 * same file: a later run finds the earlier run's transactions, every request it sends again is
 * replayed, and nothing is charged twice.
 *
 * <p>The clock is fixed and ids are sequential so that every run prints the same thing (the tests
 * rely on it). Sequential ids start again at 1 in every process, so with a store that outlives the
 * process they are safe here only because a later run writes nothing new. A host uses {@code
 * Clock.systemUTC()} and the default random ids.
 */
public final class QuickStart {
  static final TenantId TENANT = TenantId.of("acme");
  static final AccountId ACCOUNT = AccountId.of("org-42");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");

  /** Where the database lives when neither an argument nor the system property says. */
  static final Path DEFAULT_DATABASE = Path.of("target", "quickstart", "billing");

  /** The system property naming the database (its path without H2's {@code .mv.db}). */
  static final String DATABASE_PROPERTY = "billing.quickstart.database";

  private static final IdempotencyKey FEE_KEY = IdempotencyKey.of("fee-seat-2025-03");

  private final Billing billing;
  private final PrintStream out;

  private QuickStart(Billing billing, PrintStream out) {
    this.billing = billing;
    this.out = out;
  }

  /**
   * What one run saw, for the tests.
   *
   * @param foundAtStart transactions of the account already in the database when the run started
   *     (zero on an empty database)
   * @param beforeRestart the final balance, read through the first pool
   * @param ledgerBeforeRestart the account's transactions, read through the first pool
   * @param afterRestart the balance read through a new pool and store after the first was closed
   * @param ledgerAfterRestart the transactions read through the new pool
   * @param feeSentAgain the fee sent again after the restart with its idempotency key
   */
  public record Outcome(
      int foundAtStart,
      AccountBalance beforeRestart,
      List<LedgerTransaction> ledgerBeforeRestart,
      AccountBalance afterRestart,
      List<LedgerTransaction> ledgerAfterRestart,
      ChargeResult feeSentAgain) {}

  /**
   * Runs on the H2 database named by the first argument, else by the system property {@value
   * #DATABASE_PROPERTY}, else {@code target/quickstart/billing} (H2 adds {@code .mv.db}).
   */
  public static void main(String[] args) {
    Path database =
        args.length > 0
            ? Path.of(args[0])
            : Path.of(System.getProperty(DATABASE_PROPERTY, DEFAULT_DATABASE.toString()));
    run(database, System.out);
  }

  /**
   * One run of the program on the H2 file database {@code database}: the tour through a first
   * connection pool, which is then closed (closing its last connection closes the H2 file); then a
   * new pool and store on the same file, which read back the balance and the ledger.
   */
  public static Outcome run(Path database, PrintStream out) {
    out.printf("Billing on an embedded H2 file database: %s.mv.db%n", shown(database));
    out.println();
    out.println("== 0. The core API in a nutshell (the code in README.md, on the in-memory store)");
    AccountBalance essentials = essentials(Clock.fixed(NOW, ZoneOffset.UTC));
    out.printf("available after one charge: %s%n", essentials.available());

    int foundAtStart;
    AccountBalance beforeRestart;
    List<LedgerTransaction> ledgerBeforeRestart;
    try (HikariDataSource pool = openPool(database, "quickstart-first")) {
      QuickStart tour = new QuickStart(billingOn(pool), out);
      foundAtStart = tour.transactionsStored();
      out.println();
      if (foundAtStart == 0) {
        out.println("The database is empty: the tour below writes everything it shows.");
      } else {
        out.printf("found %d transactions from an earlier run in this file:%n", foundAtStart);
        out.println("every request below is sent again with its idempotency key and replayed");
      }
      tour.tour(foundAtStart > 0);
      beforeRestart = tour.billing.credits().balance(TENANT, ACCOUNT);
      ledgerBeforeRestart = tour.billing.ledger().transactions(TENANT, ACCOUNT);
    }

    out.println();
    out.println(
        "== 8. Restart: the pool is closed (H2 closes the file); a new pool and store open it");
    try (HikariDataSource pool = openPool(database, "quickstart-restarted")) {
      return new QuickStart(billingOn(pool), out)
          .afterRestart(foundAtStart, beforeRestart, ledgerBeforeRestart);
    }
  }

  /** A small pool on the H2 file; H2 creates the file on the first connection. */
  private static HikariDataSource openPool(Path database, String name) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    // H2 2.x wants an absolute path or one starting with ./ in a file URL.
    config.setJdbcUrl("jdbc:h2:file:" + database.toAbsolutePath());
    config.setMaximumPoolSize(2);
    return new HikariDataSource(config);
  }

  /**
   * The store creates its tables on the first start (applySchema) and checks them on later ones.
   */
  private static Billing billingOn(HikariDataSource pool) {
    JdbcBillingStore store =
        JdbcBillingStore.builder(pool)
            .dialect(Dialect.H2)
            .tablePrefix("billing_")
            .applySchema(true)
            .build();
    return Billing.builder()
        .store(store)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .ids(IdGenerator.sequential())
        .build();
  }

  /** The path as the user would type it: relative to the working directory when inside it. */
  private static Path shown(Path database) {
    Path absolute = database.toAbsolutePath().normalize();
    Path here = Path.of("").toAbsolutePath();
    return absolute.startsWith(here) ? here.relativize(absolute) : absolute;
  }

  private int transactionsStored() {
    return billing.credits().findAccount(TENANT, ACCOUNT).isPresent()
        ? billing.ledger().transactions(TENANT, ACCOUNT).size()
        : 0;
  }

  /** Reads back what the first pool saw and sends the fee again, which must be a replay. */
  private Outcome afterRestart(
      int foundAtStart, AccountBalance beforeRestart, List<LedgerTransaction> ledgerBefore) {
    List<LedgerTransaction> ledger = billing.ledger().transactions(TENANT, ACCOUNT);
    out.printf(
        "found %d transactions from an earlier run; the same as before the restart: %s%n",
        ledger.size(), ledger.equals(ledgerBefore));
    AccountBalance balance = billing.credits().balance(TENANT, ACCOUNT);
    out.printf(
        "balance: total %s, available %s; the same as before the restart: %s%n",
        number(balance.total()), number(balance.available()), balance.equals(beforeRestart));

    ChargeResult again = billing.credits().charge(feeRequest(Actor.of("alice", Role.ADMIN)));
    AccountBalance afterAgain = billing.credits().balance(TENANT, ACCOUNT);
    out.printf(
        "fee sent again with key %s: replayed=%s (%s), available still %s%n",
        FEE_KEY, again.replayed(), again.transaction().id(), number(afterAgain.available()));
    return new Outcome(foundAtStart, beforeRestart, ledgerBefore, balance, ledger, again);
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

    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(tenant, account, credit).actor(admin).build());
    Price paid = Price.of(Amount.of(CurrencyUnit.of("USD"), "1.00"), Amount.of(credit, "100"));
    billing
        .credits()
        .grant(
            GrantRequest.builder(tenant, account, Amount.of(credit, "500"))
                .category(GrantCategory.PURCHASED)
                .costBasis(CostBasis.paid(paid))
                .idempotencyKey(IdempotencyKey.of("purchase-1001"))
                .actor(admin)
                .reason("credit package bought")
                .build());
    billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    tenant, account, Charge.usage("llm.tokens", Amount.of(credit, "12.50")))
                .idempotencyKey(IdempotencyKey.of("usage-2025-03-01T09"))
                .actor(Actor.system("metering-job"))
                .reason("LLM tokens, 09:00")
                .build());
    AccountBalance balance = billing.credits().balance(tenant, account); // 487.50 available
    // end::readme[]
    return balance;
  }

  private void tour(boolean earlierRun) {
    out.println();
    Actor admin = Actor.of("alice", Role.ADMIN);
    Actor meteringJob = Actor.system("metering-job");

    out.println("== 1. Open an account and grant three kinds of credit");
    openAndGrant(billing, admin);
    if (earlierRun) {
      out.println("(replayed: the balance is today's, after the earlier run's charges)");
    }
    printBalance();

    out.println();
    out.println("== 2. Charge 250.00 credits of LLM usage");
    ChargeResult usage = chargeUsage(billing, meteringJob);
    printCharge(usage);

    out.println();
    out.println("== 3. Quote a 120.00 fixed fee before charging it");
    Charge seatFee = seatFee();
    if (billing.ledger().find(TENANT, FEE_KEY).isPresent()) {
      out.println(
          "skipped: an earlier run charged the fee, so a quote now would price a second one");
    } else {
      printQuote(billing.credits().quote(TENANT, ACCOUNT, seatFee));
    }

    out.println();
    out.println("== 4. Charge the fee");
    ChargeRequest feeRequest = feeRequest(admin);
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
              ChargeRequest.builder(
                      TENANT,
                      ACCOUNT,
                      Charge.of(ChargeKind.FIXED_FEE, "seat.monthly", Amount.of(CREDIT, "999")))
                  .idempotencyKey(FEE_KEY)
                  .actor(admin)
                  .reason("seat fee, March 2025")
                  .build());
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
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(TENANT, ACCOUNT, CREDIT).actor(admin).build());

    // A partner's allowance pays first (priority 10), but only for usage meters.
    billing
        .credits()
        .grant(
            GrantRequest.builder(TENANT, ACCOUNT, Amount.of(CREDIT, "300"))
                .category(GrantCategory.PARTNER_ALLOWANCE)
                .priority(10)
                .scope(Scope.allUsageMeters())
                .expiresAt(NOW.plus(Duration.ofDays(90)))
                .idempotencyKey(IdempotencyKey.of("grant-partner-q1"))
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
                .idempotencyKey(IdempotencyKey.of("grant-welcome"))
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
                .idempotencyKey(IdempotencyKey.of("grant-purchase-1001"))
                .actor(admin)
                .reason("credit package bought")
                .build());
  }

  /** A usage charge from the host's metering job. */
  static ChargeResult chargeUsage(Billing billing, Actor meteringJob) {
    return billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    TENANT, ACCOUNT, Charge.usage("llm.tokens", Amount.of(CREDIT, "250")))
                .idempotencyKey(IdempotencyKey.of("usage-llm-2025-03-01T09"))
                .actor(meteringJob)
                .reason("LLM tokens, hour 09:00")
                .build());
  }

  /** The monthly seat fee: outside the partner allowance's scope, which covers usage only. */
  static Charge seatFee() {
    return Charge.of(ChargeKind.FIXED_FEE, "seat.monthly", Amount.of(CREDIT, "120"));
  }

  static ChargeRequest feeRequest(Actor admin) {
    return ChargeRequest.builder(TENANT, ACCOUNT, seatFee())
        .idempotencyKey(FEE_KEY)
        .actor(admin)
        .reason("seat fee, March 2025")
        .build();
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
        "%s %s: charged %s%s%n",
        r.transaction().type(),
        r.transaction().id(),
        number(r.charged()),
        r.replayed() ? " (replayed: written by an earlier run)" : "");
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
