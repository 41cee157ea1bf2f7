package dev.billingsdk.bench.db;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.jdbc.JdbcBillingStore;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The accounts the debit benchmarks charge: {@value #ACCOUNTS} accounts with three grants each
 * (mixed priorities and categories), plus one hot account, and the checks that the ledger kept its
 * rules under the load.
 */
final class Ledger {
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final TenantId TENANT = TenantId.of("bench");
  static final Actor ADMIN = Actor.of("bench-admin", Role.ADMIN);
  static final Actor GATEWAY = Actor.system("bench-gateway");
  static final int ACCOUNTS = 10_000;
  static final AccountId HOT = AccountId.of("hot");

  /** Every debit is 1.00 credit. */
  static final Amount DEBIT = Amount.ofMinor(CREDITS, 100);

  /** The first grant of a spread account (priority 10): small, so charges soon move past it. */
  static final Amount SMALL = Amount.of(CREDITS, "20");

  static final Amount BIG = Amount.of(CREDITS, "10000000");

  private Ledger() {}

  static AccountId account(int i) {
    return AccountId.of(String.format(java.util.Locale.ROOT, "acct-%05d", i));
  }

  /**
   * Opens the accounts (through the library) and writes their grants straight through the store's
   * {@code commitBatch}, {@value #SETUP_BATCH} accounts per database transaction, from {@code
   * threads} threads (not timed). One GRANT transaction per account creates its three grants (an
   * ISSUED posting against the three GRANT postings), as the library's own grant would, without its
   * outbox event. Each spread account: 20 credits at priority 10 (promotional, expiring in a year),
   * 10,000,000 purchased credits at priority 50 (cost basis 1 USD per 100 credits) and 10,000,000
   * sign-up credits at priority 90. The hot account gets 10,000,000 in each of the three.
   */
  static void open(Billing billing, JdbcBillingStore store, int threads) throws Exception {
    Instant now = Instant.now();
    Instant in1Year = now.plus(365, ChronoUnit.DAYS);
    Price paid = Price.of(Amount.of(CurrencyUnit.of("USD"), "1"), Amount.of(CREDITS, "100"));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int slice = t;
        done.add(
            pool.submit(
                () -> {
                  List<LedgerWrite> writes = new ArrayList<>();
                  for (int i = slice; i <= ACCOUNTS; i += threads) {
                    AccountId id = i == ACCOUNTS ? HOT : account(i);
                    billing
                        .credits()
                        .openAccount(
                            OpenAccountRequest.builder(TENANT, id, CREDITS).actor(ADMIN).build());
                    List<Grant> grants =
                        List.of(
                            grant(
                                store,
                                id,
                                1,
                                i == ACCOUNTS ? BIG : SMALL,
                                10,
                                GrantCategory.PROMOTIONAL,
                                Optional.of(in1Year),
                                CostBasis.free(),
                                now),
                            grant(
                                store,
                                id,
                                2,
                                BIG,
                                50,
                                GrantCategory.PURCHASED,
                                Optional.empty(),
                                CostBasis.paid(paid),
                                now),
                            grant(
                                store,
                                id,
                                3,
                                BIG,
                                90,
                                GrantCategory.SIGN_UP,
                                Optional.empty(),
                                CostBasis.free(),
                                now));
                    List<Posting> postings = new ArrayList<>();
                    Amount total = Amount.zero(CREDITS);
                    for (Grant g : grants) {
                      total = total.plus(g.amount());
                    }
                    postings.add(
                        Posting.of(
                            LedgerAccount.counter(LedgerAccount.Kind.ISSUED), total.negate()));
                    for (Grant g : grants) {
                      postings.add(Posting.of(LedgerAccount.grant(g.id()), g.amount()));
                    }
                    LedgerTransaction tx =
                        new LedgerTransaction(
                            TransactionId.of("txn_setup_" + id.value()),
                            TENANT,
                            id,
                            TransactionType.GRANT,
                            IdempotencyKey.of("setup-" + id.value()),
                            "bench-setup",
                            ADMIN,
                            "bench setup",
                            now,
                            postings,
                            Map.of(),
                            store.nextSequence());
                    writes.add(new LedgerWrite(tx, grants, Set.of(), 0));
                    if (writes.size() == SETUP_BATCH || i + threads > ACCOUNTS) {
                      for (CommitResult r : store.commitBatch(writes)) {
                        if (!(r instanceof CommitResult.Committed)) {
                          throw new IllegalStateException("setup write not committed: " + r);
                        }
                      }
                      writes.clear();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static final int SETUP_BATCH = 100;

  private static Grant grant(
      JdbcBillingStore store,
      AccountId id,
      int n,
      Amount amount,
      int priority,
      GrantCategory category,
      Optional<Instant> expiresAt,
      CostBasis costBasis,
      Instant now) {
    return new Grant(
        GrantId.of("grt_" + id.value() + "_" + n),
        TENANT,
        id,
        "bench grant " + n,
        category,
        priority,
        amount,
        now,
        expiresAt,
        Scope.everything(),
        costBasis,
        Map.of(),
        ADMIN,
        now,
        store.nextSequence());
  }

  static ChargeRequest debit(AccountId account, String key) {
    return ChargeRequest.builder(TENANT, account, Charge.usage("api-calls", DEBIT))
        .idempotencyKey(IdempotencyKey.of(key))
        .actor(GATEWAY)
        .reason("bench debit")
        .build();
  }

  /** The sum of the initial grants of the hot account. */
  static Amount hotGranted() {
    return BIG.plus(BIG).plus(BIG);
  }

  /**
   * Checks the hot account after the load: no grant below zero, nothing owed (its policy is reject:
   * no overdraft at all), and its total is exactly what was granted minus every debit that the
   * clients saw succeed (no lost update, no double posting). Both from the library and straight
   * from the tables.
   */
  static void checkHot(Billing billing, Database db, String prefix, long debited)
      throws SQLException {
    AccountBalance b = billing.credits().balance(TENANT, HOT);
    if (!b.owed().isZero()) {
      throw new AssertionError("hot account overdrawn under reject policy: owes " + b.owed());
    }
    for (GrantBalance g : b.grants()) {
      if (g.remaining().isNegative()) {
        throw new AssertionError("hot account grant below zero: " + g);
      }
    }
    Amount expected = hotGranted().minus(Amount.ofMinor(CREDITS, DEBIT.minor() * debited));
    if (!b.total().equals(expected)) {
      throw new AssertionError(
          "hot account total "
              + b.total()
              + " but granted minus "
              + debited
              + " successful debits is "
              + expected);
    }
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT (SELECT MIN(remaining) FROM "
                    + prefix
                    + "grants WHERE tenant = ? AND account_id = ?),"
                    + " (SELECT SUM(remaining) FROM "
                    + prefix
                    + "grants WHERE tenant = ? AND account_id = ?),"
                    + " (SELECT overdraft FROM "
                    + prefix
                    + "accounts WHERE tenant = ? AND account_id = ?)")) {
      for (int i = 0; i < 3; i++) {
        s.setString(2 * i + 1, TENANT.value());
        s.setString(2 * i + 2, HOT.value());
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        long min = rs.getLong(1);
        long sum = rs.getLong(2);
        long overdraft = rs.getLong(3);
        if (min < 0 || overdraft < 0 || sum != expected.minor()) {
          throw new AssertionError(
              "hot account tables: min grant remaining "
                  + min
                  + ", sum "
                  + sum
                  + " (expected "
                  + expected.minor()
                  + "), overdraft "
                  + overdraft);
        }
      }
    }
  }
}
