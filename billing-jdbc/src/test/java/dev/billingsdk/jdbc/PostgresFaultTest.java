package dev.billingsdk.jdbc;

import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.jdbc.FaultInjectingDataSource.Point;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.StoreFailureException;
import dev.billingsdk.spi.StoredUsageEvent;
import dev.billingsdk.tck.StoreLedgerChecks;
import dev.billingsdk.tck.StoreState;
import dev.billingsdk.tck.TckFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;

/**
 * Real database faults in the middle of {@link JdbcBillingStore#commitBatch}, on PostgreSQL: the
 * store's backend is terminated ({@code pg_terminate_backend} from a second connection) at an exact
 * point of the batch, or another application instance commits a row that takes one of the batch's
 * keys after the store has checked them. Whatever happens, the batch is one database transaction:
 * none of it is visible after a failure, and a retry with the same writes (the same idempotency
 * keys) lands each of them exactly once.
 *
 * <p>The store under test runs on its own pool whose sessions carry the application name {@value
 * #VICTIM}, behind a {@link FaultInjectingDataSource} that makes the fault strike just before a
 * given statement batch or commit; only that one backend (by pid and application name) is ever
 * terminated.
 */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresFaultTest {
  private static final Db DB = Db.POSTGRESQL;
  private static final String PREFIX = "fault_";
  private static final String VICTIM = "billing-fault-victim";
  private static final int ACCOUNTS = 50;
  private static final int ROUNDS = 4;
  private static final long GRANTED = 10_000;

  /** The last write of account 13 in a batch of {@link #debits}: mid-batch, last on its account. */
  private static final int MIDDLE = (ROUNDS - 1) * ACCOUNTS + 13;

  /** Setup and reads, on the shared pool. */
  private static JdbcBillingStore reference;

  /** A second application instance on its own pool: the other writer. */
  private static JdbcBillingStore otherInstance;

  /** Terminates backends and counts rows. */
  private static DataSource admin;

  private static HikariDataSource victimPool;
  private static FaultInjectingDataSource faults;

  private TckFixture f;
  private final List<AccountId> accounts = new ArrayList<>();
  private final List<GrantResult> grants = new ArrayList<>();
  private AccountId bystander;
  private GrantResult bystanderGrant;

  @BeforeAll
  static void databases() {
    TestDatabases.assumeAvailable(DB);
    reference = TestDatabases.freshStore(DB, PREFIX);
    otherInstance = store(TestDatabases.pool(DB, "fault-other", 2), 8);
    admin = TestDatabases.pool(DB, "fault-admin", 2);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(DB.url().orElseThrow());
    config.addDataSourceProperty("ApplicationName", VICTIM);
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(0);
    config.setPoolName("billing-test-fault-victim");
    config.setConnectionTimeout(10_000);
    victimPool = new HikariDataSource(config);
    faults = new FaultInjectingDataSource(victimPool);
  }

  @AfterAll
  static void closeVictimPool() {
    if (victimPool != null) {
      victimPool.close();
    }
  }

  @BeforeEach
  void accountsWithCredit() {
    f = new TckFixture(reference);
    for (int i = 0; i < ACCOUNTS; i++) {
      AccountId id = f.open("acct-" + i);
      accounts.add(id);
      grants.add(f.grant(id, GRANTED));
    }
    bystander = f.open("bystander");
    bystanderGrant = f.grant(bystander, GRANTED);
  }

  @AfterEach
  void nothingLeftArmed() {
    boolean armed = faults.isArmed();
    faults.disarm();
    assertThat(armed).as("the armed fault struck").isFalse();
  }

  /**
   * The faults here are armed on the statements of the batch path (lock, check, statement batches,
   * commit), so the store runs every write on it: PostgreSQL with its one-statement write switched
   * off. The one-statement write and ingest have their own tests ({@link #oneStatementVictim}).
   */
  private static final Dialect BATCH_PATH =
      new PostgresDialect() {
        @Override
        public boolean writesInOneStatement() {
          return false;
        }
      };

  private static JdbcBillingStore store(DataSource dataSource, int maxAttempts) {
    return JdbcBillingStore.builder(dataSource)
        .dialect(BATCH_PATH)
        .tablePrefix(PREFIX)
        .maxAttempts(maxAttempts)
        .build();
  }

  /** The store under test; {@code maxAttempts} 1 shows a fault instead of retrying it. */
  private static JdbcBillingStore victim(int maxAttempts) {
    return store(faults, maxAttempts);
  }

  /** The store under test with PostgreSQL's one-statement write and ingest on, as shipped. */
  private static JdbcBillingStore oneStatementVictim() {
    return JdbcBillingStore.builder(faults)
        .dialect(Dialect.POSTGRESQL)
        .tablePrefix(PREFIX)
        .maxAttempts(1)
        .build();
  }

  // ---------------------------------------------------------------- the one-statement paths

  @Test
  void aBackendTerminatedBeforeTheOneStatementWriteLeavesNothingAndARetryLandsItOnce()
      throws Exception {
    JdbcBillingStore store = oneStatementVictim();
    LedgerWrite write = debits().get(0);
    Picture before = picture();
    faults.arm(
        Point.BEFORE_EXECUTE,
        sql -> sql.startsWith("WITH a AS (UPDATE " + PREFIX + "accounts "),
        PostgresFaultTest::terminate);

    assertLostConnection(() -> store.commit(write));
    assertNothingOf(List.of(write));
    assertThat(picture()).as("nothing of the write is visible").isEqualTo(before);

    assertThat(store.commit(write)).isInstanceOf(CommitResult.Committed.class);
    Picture landed = assertLanded(before, List.of(write));
    assertThat(store.commit(write)).isInstanceOf(CommitResult.Duplicate.class);
    assertThat(picture()).isEqualTo(landed);
  }

  @Test
  void aBackendTerminatedBeforeTheIngestStatementsStoresNothingAndARetryStoresEachEventOnce() {
    JdbcBillingStore store = oneStatementVictim();
    List<StoredUsageEvent> batch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      UsageEvent e =
          UsageEvent.builder(f.tenant, accounts.get(i % 3), "fault-meter")
              .id("fault-" + UUID.randomUUID())
              .quantity(java.math.BigDecimal.valueOf(i + 1))
              .occurredAt(f.clock.instant().minusSeconds(60))
              .build();
      batch.add(StoredUsageEvent.unsequenced(e, "fp-" + i, f.clock.instant()));
    }
    batch.add(batch.get(4)); // resent within the batch
    faults.arm(
        Point.BEFORE_EXECUTE,
        sql -> sql.startsWith("INSERT INTO " + PREFIX + "rating_cursors "),
        PostgresFaultTest::terminate);

    assertLostConnection(() -> store.ingest(batch));
    for (StoredUsageEvent e : batch) {
      assertThat(reference.findUsageEvent(f.tenant, e.event().id())).isEmpty();
    }
    for (int a = 0; a < 3; a++) {
      assertThat(reference.findRatingCursor(f.tenant, accounts.get(a), "fault-meter"))
          .as("no cursor left behind")
          .isEmpty();
    }

    List<IngestOutcome> retried = store.ingest(batch);
    assertThat(retried.subList(0, 30))
        .allSatisfy(o -> assertThat(o).isInstanceOf(IngestOutcome.Inserted.class));
    assertThat(retried.get(30))
        .isEqualTo(new IngestOutcome.Duplicate(((IngestOutcome.Inserted) retried.get(4)).stored()));
    for (int a = 0; a < 3; a++) {
      assertThat(reference.findRatingCursor(f.tenant, accounts.get(a), "fault-meter"))
          .hasValueSatisfying(c -> assertThat(c.ingestedSequence()).isEqualTo(10));
    }
    assertThat(store.ingest(batch))
        .as("a second retry stores nothing")
        .allSatisfy(o -> assertThat(o).isInstanceOf(IngestOutcome.Duplicate.class));
  }

  // ---------------------------------------------------------------- a terminated backend

  @ParameterizedTest(name = "terminated just before {0}")
  @ValueSource(strings = {"transactions", "postings", "outbox", "COMMIT"})
  void aBackendTerminatedMidBatchLeavesNothingVisibleAndARetryLandsEachWriteOnce(String where)
      throws Exception {
    JdbcBillingStore store = victim(1);
    List<LedgerWrite> writes = debits();
    Picture before = picture();
    int struck = faults.struck();
    if (where.equals("COMMIT")) {
      faults.arm(Point.BEFORE_COMMIT, sql -> true, PostgresFaultTest::terminate);
    } else {
      faults.arm(Point.BEFORE_EXECUTE_BATCH, insertInto(where), PostgresFaultTest::terminate);
    }

    assertLostConnection(() -> store.commitBatch(writes));
    assertThat(faults.struck()).isEqualTo(struck + 1);
    assertNothingOf(writes);
    assertThat(picture()).as("nothing of the batch is visible").isEqualTo(before);

    List<CommitResult> retried = store.commitBatch(writes);
    assertThat(retried).allSatisfy(r -> assertThat(r).isInstanceOf(CommitResult.Committed.class));
    Picture landed = assertLanded(before, writes);

    assertThat(store.commitBatch(writes))
        .as("a second retry moves nothing")
        .allSatisfy(r -> assertThat(r).isInstanceOf(CommitResult.Duplicate.class));
    assertThat(picture()).isEqualTo(landed);
  }

  @Test
  void theStoresOwnRetryRidesOutATerminatedBackendAndLandsTheBatchOnce() throws Exception {
    JdbcBillingStore store = victim(8);
    List<LedgerWrite> writes = debits();
    Picture before = picture();
    int struck = faults.struck();
    faults.arm(Point.BEFORE_EXECUTE_BATCH, insertInto("postings"), PostgresFaultTest::terminate);

    List<CommitResult> results = store.commitBatch(writes);

    assertThat(faults.struck()).as("the backend was terminated mid-batch").isEqualTo(struck + 1);
    assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(CommitResult.Committed.class));
    assertLanded(before, writes);
  }

  @Test
  void aCommitWhoseAnswerIsLostIsRetriedWithoutPostingTwice() throws Exception {
    JdbcBillingStore store = victim(8);
    List<LedgerWrite> writes = debits();
    Picture before = picture();
    // The commit reaches the database, then the backend dies before the store hears of it: the
    // store only sees the connection fail, so the outcome is unknown to it and it tries again.
    faults.arm(
        Point.AFTER_COMMIT,
        sql -> true,
        victim -> {
          terminate(victim);
          try (Statement s = victim.createStatement()) {
            s.execute("SELECT 1");
          }
          throw new AssertionError("a terminated backend still answered");
        });

    List<CommitResult> results = store.commitBatch(writes);

    assertThat(faults.isArmed()).isFalse();
    for (int i = 0; i < writes.size(); i++) {
      LedgerTransaction mine = writes.get(i).transaction();
      assertThat(results.get(i))
          .as("write %s: the retry finds what the lost commit stored", i)
          .isInstanceOfSatisfying(
              CommitResult.Duplicate.class,
              d -> assertThat(d.existing().id()).isEqualTo(mine.id()));
    }
    assertLanded(before, writes);
  }

  // ---------------------------------------------------------------- a constraint violation

  @Test
  void aKeyTakenByAnotherInstanceMidBatchRollsTheWholeBatchBack() throws Exception {
    JdbcBillingStore store = victim(1);
    List<LedgerWrite> writes = debits();
    LedgerWrite taken = writes.get(MIDDLE);
    Picture before = picture();
    AtomicReference<LedgerWrite> winner = new AtomicReference<>();
    faults.arm(
        Point.BEFORE_EXECUTE_BATCH,
        insertInto("transactions"),
        victim -> winner.set(commitElsewhere(bystanderDebit(taken))));

    assertUniqueViolation(() -> store.commitBatch(writes));
    Picture afterFailure = assertLanded(before, List.of(winner.get()));
    assertNothingOf(without(writes, MIDDLE));

    List<CommitResult> retried = store.commitBatch(writes);
    assertTakenKeyIsDuplicateAndTheRestCommitted(retried, winner.get());
    assertLanded(afterFailure, without(writes, MIDDLE));
  }

  @Test
  void theStoresOwnRetryDecidesABatchAgainAfterAKeyIsTakenMidBatch() throws Exception {
    JdbcBillingStore store = victim(8);
    List<LedgerWrite> writes = debits();
    LedgerWrite taken = writes.get(MIDDLE);
    Picture before = picture();
    AtomicReference<LedgerWrite> winner = new AtomicReference<>();
    int struck = faults.struck();
    faults.arm(
        Point.BEFORE_EXECUTE_BATCH,
        insertInto("transactions"),
        victim -> winner.set(commitElsewhere(bystanderDebit(taken))));

    List<CommitResult> results = store.commitBatch(writes);

    assertThat(faults.struck()).isEqualTo(struck + 1);
    assertTakenKeyIsDuplicateAndTheRestCommitted(results, winner.get());
    List<LedgerWrite> landed = new ArrayList<>(without(writes, MIDDLE));
    landed.add(winner.get());
    assertLanded(before, landed);
  }

  @Test
  void aGrantIdTakenByAnotherInstanceMidBatchRollsBackAndTheRetryRejectsOnlyThatWrite()
      throws Exception {
    JdbcBillingStore store = victim(1);
    // Three rounds of debits, then a new grant on every account.
    List<LedgerWrite> writes = new ArrayList<>(debits().subList(0, (ROUNDS - 1) * ACCOUNTS));
    for (int i = 0; i < ACCOUNTS; i++) {
      AccountId a = accounts.get(i);
      writes.add(
          grantWrite(
              a,
              GrantId.of("fault-grant-" + i + "-" + UUID.randomUUID()),
              500,
              f.version(a) + ROUNDS - 1));
    }
    LedgerWrite taken = writes.get(MIDDLE);
    GrantId takenId = taken.newGrants().get(0).id();
    Picture before = picture();
    AtomicReference<LedgerWrite> winner = new AtomicReference<>();
    faults.arm(
        Point.BEFORE_EXECUTE_BATCH,
        insertInto("grants"),
        victim ->
            winner.set(commitElsewhere(grantWrite(bystander, takenId, 700, f.version(bystander)))));

    assertUniqueViolation(() -> store.commitBatch(writes));
    Picture afterFailure = assertLanded(before, List.of(winner.get()));
    assertNothingOf(writes);

    List<CommitResult> retried = store.commitBatch(writes);
    for (int i = 0; i < writes.size(); i++) {
      if (i == MIDDLE) {
        assertThat(retried.get(i))
            .isInstanceOfSatisfying(
                CommitResult.Rejected.class,
                r -> assertThat(r.reason()).contains(takenId.value()).contains("already exists"));
      } else {
        assertThat(retried.get(i)).as("write %s", i).isInstanceOf(CommitResult.Committed.class);
      }
    }
    assertThat(reference.findTransaction(f.tenant, taken.transaction().idempotencyKey())).isEmpty();
    assertThat(reference.findGrant(f.tenant, takenId).orElseThrow().grant().account())
        .as("the grant id is the other instance's")
        .isEqualTo(bystander);
    assertLanded(afterFailure, without(writes, MIDDLE));
  }

  @Test
  void aWriteRefusedByItsOwnPreconditionsLeavesTheRestOfTheBatchCommitted() throws Exception {
    JdbcBillingStore store = victim(8);
    List<LedgerWrite> writes = debits();
    LedgerWrite refused = writes.get(MIDDLE);
    // The same account and version, but more than its grant holds.
    writes.set(
        MIDDLE,
        LedgerWrite.of(
            f.rawDebit(accounts.get(13), grants.get(13), GRANTED + 1, f.nextKey()),
            refused.expectedVersion()));
    Picture before = picture();

    List<CommitResult> results = store.commitBatch(writes);

    for (int i = 0; i < writes.size(); i++) {
      assertThat(results.get(i))
          .as("write %s", i)
          .isInstanceOf(i == MIDDLE ? CommitResult.Rejected.class : CommitResult.Committed.class);
    }
    assertNothingOf(List.of(writes.get(MIDDLE)));
    assertLanded(before, without(writes, MIDDLE));
  }

  // ---------------------------------------------------------------- the batch and the faults

  /**
   * {@value #ROUNDS} debits on each of the {@value #ACCOUNTS} accounts, the accounts interleaved,
   * each write with an outbox event: {@code ROUNDS * ACCOUNTS} transactions, twice as many
   * postings.
   */
  private List<LedgerWrite> debits() {
    Map<AccountId, Long> versions = new HashMap<>();
    accounts.forEach(a -> versions.put(a, f.version(a)));
    List<LedgerWrite> writes = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      for (int i = 0; i < ACCOUNTS; i++) {
        AccountId a = accounts.get(i);
        long minor = 1 + (round * ACCOUNTS + i) % 97;
        LedgerTransaction t = f.rawDebit(a, grants.get(i), minor, f.nextKey());
        writes.add(
            LedgerWrite.of(t, versions.get(a) + round).withEvents(List.of(TckFixture.eventFor(t))));
      }
    }
    return writes;
  }

  /** A debit of the bystander account under the idempotency key of {@code taken}. */
  private LedgerWrite bystanderDebit(LedgerWrite taken) {
    LedgerTransaction t =
        f.rawDebit(bystander, bystanderGrant, 1, taken.transaction().idempotencyKey());
    return LedgerWrite.of(t, f.version(bystander)).withEvents(List.of(TckFixture.eventFor(t)));
  }

  /** A write that creates grant {@code id} of {@code minor} on {@code account}. */
  private LedgerWrite grantWrite(AccountId account, GrantId id, long minor, long version) {
    Instant now = f.clock.instant();
    Grant grant =
        new Grant(
            id,
            f.tenant,
            account,
            "fault grant",
            GrantCategory.PROMOTIONAL,
            50,
            credits(minor),
            now,
            Optional.empty(),
            Scope.everything(),
            CostBasis.free(),
            Map.of(),
            TckFixture.ADMIN,
            now,
            reference.nextSequence());
    LedgerTransaction t =
        f.rawTransaction(
            account,
            TransactionType.GRANT,
            f.nextKey(),
            List.of(
                TckFixture.on(LedgerAccount.Kind.ISSUED, -minor),
                Posting.of(LedgerAccount.grant(id), credits(minor))));
    return new LedgerWrite(t, List.of(grant), Set.of(), version)
        .withEvents(List.of(TckFixture.eventFor(t)));
  }

  /** The other application instance commits {@code write}, on its own pool, and must succeed. */
  private static LedgerWrite commitElsewhere(LedgerWrite write) {
    CommitResult r = otherInstance.commit(write);
    if (!(r instanceof CommitResult.Committed)) {
      throw new AssertionError("the other instance could not commit: " + r);
    }
    return write;
  }

  /** The call fails as a store failure whose cause is a lost connection. */
  private static void assertLostConnection(ThrowingCallable call) {
    assertFailedBecause(call, DB.dialect::isConnectionFailure, "lost connection");
  }

  /** The call fails as a store failure whose cause is a unique violation. */
  private static void assertUniqueViolation(ThrowingCallable call) {
    assertFailedBecause(call, DB.dialect::isUniqueViolation, "unique violation");
  }

  private static void assertFailedBecause(
      ThrowingCallable call, java.util.function.Predicate<SQLException> why, String what) {
    assertThatThrownBy(call)
        .isInstanceOf(StoreFailureException.class)
        .cause()
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(why.test(e)).as(what).isTrue());
  }

  private static java.util.function.Predicate<String> insertInto(String table) {
    return sql -> sql.startsWith("INSERT INTO " + PREFIX + table + " ");
  }

  /**
   * Terminates the backend of {@code victim} from a second connection and waits until it is gone.
   * Only that pid, and only if it is one of {@value #VICTIM}'s sessions.
   */
  private static void terminate(Connection victim) throws SQLException {
    int pid = victim.unwrap(PGConnection.class).getBackendPID();
    try (Connection c = admin.getConnection()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                  + " WHERE datname = current_database() AND pid = ? AND application_name = ?")) {
        s.setInt(1, pid);
        s.setString(2, VICTIM);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next() || !rs.getBoolean(1)) {
            throw new AssertionError("backend " + pid + " of " + VICTIM + " was not terminated");
          }
        }
      }
      try (PreparedStatement s =
          c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
        s.setInt(1, pid);
        // Bounded by polls, not by the clock: 2,000 polls 5 ms apart is about 10 s at least.
        for (int poll = 0; poll < 2_000; poll++) {
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            if (rs.getLong(1) == 0) {
              return;
            }
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        throw new AssertionError("backend " + pid + " still alive after 2,000 polls");
      }
    }
  }

  // ---------------------------------------------------------------- what is visible

  /** Row counts of the tenant, straight from the tables (the outbox included). */
  private record Rows(long transactions, long postings, long outbox, long grants) {
    Rows plus(List<LedgerWrite> writes) {
      long t = transactions;
      long p = postings;
      long o = outbox;
      long g = grants;
      for (LedgerWrite w : writes) {
        t++;
        p += w.transaction().postings().size();
        o += w.events().size();
        g += w.newGrants().size();
      }
      return new Rows(t, p, o, g);
    }
  }

  /** Everything the tenant holds: every account's state read through the SPI, and the rows. */
  private record Picture(Map<AccountId, StoreState> states, Rows rows) {}

  private List<AccountId> allAccounts() {
    List<AccountId> all = new ArrayList<>(accounts);
    all.add(bystander);
    return all;
  }

  private Picture picture() throws SQLException {
    Map<AccountId, StoreState> states = new LinkedHashMap<>();
    for (AccountId a : allAccounts()) {
      states.put(a, f.state(a));
    }
    return new Picture(states, rows());
  }

  private Rows rows() throws SQLException {
    try (Connection c = admin.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT (SELECT count(*) FROM "
                    + PREFIX
                    + "transactions WHERE tenant = ?), (SELECT count(*) FROM "
                    + PREFIX
                    + "postings WHERE tenant = ?), (SELECT count(*) FROM "
                    + PREFIX
                    + "outbox WHERE tenant = ?), (SELECT count(*) FROM "
                    + PREFIX
                    + "grants WHERE tenant = ?)")) {
      for (int i = 1; i <= 4; i++) {
        s.setString(i, f.tenant.value());
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new Rows(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
      }
    }
  }

  /** No write of {@code writes} has a transaction under its key. */
  private void assertNothingOf(List<LedgerWrite> writes) {
    for (LedgerWrite w : writes) {
      assertThat(reference.findTransaction(f.tenant, w.transaction().idempotencyKey()))
          .as("nothing under key %s", w.transaction().idempotencyKey())
          .isEmpty();
    }
  }

  /**
   * What is visible now is {@code before} plus exactly {@code landed}, each once: one transaction
   * per key (the write's own), grant balances and account versions moved by exactly those writes,
   * their rows and outbox events and nothing else, and every account consistent with its ledger.
   */
  private Picture assertLanded(Picture before, List<LedgerWrite> landed) throws SQLException {
    Map<GrantId, Long> remaining = new HashMap<>();
    Map<AccountId, Long> versions = new HashMap<>();
    before
        .states()
        .forEach(
            (a, s) -> {
              s.grants().forEach(g -> remaining.put(g.grant().id(), g.remaining().minor()));
              versions.put(a, s.snapshot().orElseThrow().version());
            });
    for (LedgerWrite w : landed) {
      LedgerTransaction t = w.transaction();
      assertThat(reference.findTransaction(f.tenant, t.idempotencyKey()))
          .as("key %s holds its own write", t.idempotencyKey())
          .hasValueSatisfying(x -> assertThat(x.id()).isEqualTo(t.id()));
      w.grantDeltas().forEach((g, d) -> remaining.merge(g, d, Math::addExact));
      versions.merge(t.account(), 1L, Long::sum);
    }
    Picture now = picture();
    assertThat(now.rows()).as("rows of the tenant").isEqualTo(before.rows().plus(landed));
    Map<GrantId, Long> stored = new HashMap<>();
    Map<AccountId, Long> storedVersions = new HashMap<>();
    now.states()
        .forEach(
            (a, s) -> {
              s.grants().forEach(g -> stored.put(g.grant().id(), g.remaining().minor()));
              storedVersions.put(a, s.snapshot().orElseThrow().version());
            });
    assertThat(stored).as("grant balances").isEqualTo(remaining);
    assertThat(storedVersions).as("account versions").isEqualTo(versions);
    for (AccountId a : allAccounts()) {
      StoreLedgerChecks.assertConsistent(reference, f.tenant, a);
    }
    return now;
  }

  private void assertTakenKeyIsDuplicateAndTheRestCommitted(
      List<CommitResult> results, LedgerWrite winner) {
    for (int i = 0; i < results.size(); i++) {
      if (i == MIDDLE) {
        assertThat(results.get(i))
            .as("the taken key is the other instance's")
            .isInstanceOfSatisfying(
                CommitResult.Duplicate.class,
                d -> assertThat(d.existing().id()).isEqualTo(winner.transaction().id()));
      } else {
        assertThat(results.get(i)).as("write %s", i).isInstanceOf(CommitResult.Committed.class);
      }
    }
  }

  private static List<LedgerWrite> without(List<LedgerWrite> writes, int index) {
    List<LedgerWrite> rest = new ArrayList<>(writes);
    rest.remove(index);
    return rest;
  }
}
