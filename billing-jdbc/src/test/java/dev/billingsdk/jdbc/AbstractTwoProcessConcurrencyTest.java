package dev.billingsdk.jdbc;

import static dev.billingsdk.jdbc.TwoProcessWorkload.ACTUAL;
import static dev.billingsdk.jdbc.TwoProcessWorkload.CHILD;
import static dev.billingsdk.jdbc.TwoProcessWorkload.HOT;
import static dev.billingsdk.jdbc.TwoProcessWorkload.PARENT;
import static dev.billingsdk.jdbc.TwoProcessWorkload.PRICE;
import static dev.billingsdk.jdbc.TwoProcessWorkload.RES;
import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.jdbc.TwoProcessWorkload.Answer;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import dev.billingsdk.tck.StoreLedgerChecks;
import dev.billingsdk.tck.TckFixture;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two processes writing the same tables at once: the test JVM and a second JVM ({@link
 * SecondWriterProcess}), each with its own pool, store and {@link Billing}, run the workload of
 * {@link TwoProcessWorkload} together (charges on a hot account and on accounts spread wide,
 * reserve and settle, usage ingest), half of every operation's idempotency keys and event ids
 * shared between them. Whatever the interleaving: every key commits at most once and every answer
 * for it names that one transaction, no account goes below zero or into an overdraft its policy
 * refuses, each balance is its grants minus what was committed across both processes, every
 * reservation settles once, every event id is inserted once with gapless sequences, every
 * transaction balances and each account's version moved once per transaction. One subclass per
 * database.
 *
 * <p>The processes start together: the child connects, says it is ready and waits for a line on
 * stdin. Nothing here asserts on time; the child's run is bounded ({@link #CHILD_MINUTES}) so a
 * hung child fails the test with its stderr rather than hanging the build.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractTwoProcessConcurrencyTest {
  static final String PREFIX = "twojvm_";
  static final long CHILD_MINUTES = 5;
  private static final int ALL = 1_000_000;

  private HikariDataSource pool;
  private JdbcBillingStore store;

  protected abstract Db db();

  /** The JDBC URL both processes connect with. */
  protected String url() {
    return db().url().orElseThrow();
  }

  /** Empties the tables before the test ({@code dataSource} is the test's own pool). */
  protected void clean(DataSource dataSource) {
    TestDatabases.drop(db(), dataSource, PREFIX);
  }

  @BeforeAll
  void freshTables() {
    TestDatabases.assumeAvailable(db());
    pool = TwoProcessWorkload.pool(url(), "parent", 2);
    clean(pool);
    store = TwoProcessWorkload.store(pool, db().dialect, PREFIX, true);
  }

  @AfterAll
  void closePool() {
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void aSecondJvmWritingTheSameKeysAndAccountsLeavesEveryInvariantIntact() throws Exception {
    TenantId tenant = TenantId.of("two-jvm-" + UUID.randomUUID());
    Billing billing = TwoProcessWorkload.billing(store);
    Map<AccountId, Long> granted = setUp(billing, tenant);
    Map<AccountId, Long> versions = new HashMap<>();
    Map<AccountId, Integer> transactions = new HashMap<>();
    for (AccountId a : granted.keySet()) {
      versions.put(a, store.loadAccount(tenant, a).orElseThrow().version());
      transactions.put(a, store.transactions(tenant, a).size());
    }

    List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    List<Answer> mine = new ArrayList<>();
    Child child = Child.start(db(), url(), tenant, answers);
    try {
      child.awaitReady();
      child.go();
      TwoProcessWorkload.run(billing, tenant, PARENT, mine::add);
      child.awaitExit();
    } catch (Throwable e) {
      child.kill();
      e.addSuppressed(new AssertionError("the child's stderr:\n" + child.stderr()));
      throw e;
    }
    TwoProcessWorkload.printSummary(PARENT + "/" + db(), mine, System.out);
    child.summary().forEach(l -> System.out.println(l.replace(CHILD, CHILD + "/" + db())));
    int perSide = TwoProcessWorkload.HOT_CHARGES + TwoProcessWorkload.SPREAD_CHARGES;
    assertThat(mine.stream().filter(a -> a.op().equals("charge"))).hasSize(perSide);
    assertThat(answers.stream().filter(a -> a.op().equals("charge")))
        .as("the child answered every charge it sent")
        .hasSize(perSide);
    assertThat(answers).allSatisfy(a -> assertThat(a.side()).isEqualTo(CHILD));
    answers.addAll(mine);

    Map<AccountId, Long> charged = assertCharges(tenant, answers, granted);
    long settled = assertReservations(tenant, answers);
    assertIngest(tenant, answers);

    long totalGranted = granted.values().stream().mapToLong(Long::longValue).sum();
    long totalBalance = 0;
    for (AccountId a : granted.keySet()) {
      totalBalance += billing.credits().balance(tenant, a).total().minor();
      List<LedgerTransaction> all = store.transactions(tenant, a);
      long now = store.loadAccount(tenant, a).orElseThrow().version();
      assertThat(now - versions.get(a))
          .as("%s: its version moved once per transaction written", a)
          .isEqualTo(all.size() - transactions.get(a));
      assertLedger(tenant, a);
    }
    long committedCharges = charged.values().stream().mapToLong(Long::longValue).sum();
    assertThat(totalBalance)
        .as("all balances = all grants - charges committed by both processes - settlements")
        .isEqualTo(totalGranted - committedCharges - settled * ACTUAL);
  }

  // ---------------------------------------------------------------- before the race

  /** Opens the accounts, grants their credit and defines the meter; returns what was granted. */
  private static Map<AccountId, Long> setUp(Billing billing, TenantId tenant) {
    Map<AccountId, Long> granted = new LinkedHashMap<>();
    open(billing, tenant, HOT);
    grant(billing, tenant, HOT, TwoProcessWorkload.HOT_GRANT_1, 1, "hot-1");
    grant(billing, tenant, HOT, TwoProcessWorkload.HOT_GRANT_2, 2, "hot-2");
    granted.put(HOT, TwoProcessWorkload.HOT_GRANT_1 + TwoProcessWorkload.HOT_GRANT_2);
    for (int i = 0; i < TwoProcessWorkload.SPREAD_ACCOUNTS; i++) {
      AccountId a = TwoProcessWorkload.spread(i);
      open(billing, tenant, a);
      grant(billing, tenant, a, TwoProcessWorkload.SPREAD_GRANT, 1, a.value());
      granted.put(a, TwoProcessWorkload.SPREAD_GRANT);
    }
    open(billing, tenant, RES);
    grant(billing, tenant, RES, TwoProcessWorkload.RES_GRANT, 1, "res");
    granted.put(RES, TwoProcessWorkload.RES_GRANT);
    for (int i = 0; i < TwoProcessWorkload.USAGE_ACCOUNTS; i++) {
      open(billing, tenant, TwoProcessWorkload.usage(i));
    }
    billing
        .metering()
        .defineMeter(
            Meter.builder(tenant, TwoProcessWorkload.METER, Aggregation.SUM).unit("tokens").build(),
            TckFixture.ADMIN);
    return granted;
  }

  private static void open(Billing billing, TenantId tenant, AccountId account) {
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(tenant, account, TckFixture.CREDIT)
                .actor(TckFixture.ADMIN)
                .overdraftPolicy(OverdraftPolicy.reject())
                .build());
  }

  private static void grant(
      Billing billing, TenantId tenant, AccountId account, long minor, int priority, String key) {
    billing
        .credits()
        .grant(
            GrantRequest.builder(tenant, account, credits(minor))
                .priority(priority)
                .idempotencyKey(IdempotencyKey.of("grant-" + key))
                .actor(TckFixture.ADMIN)
                .reason("two processes")
                .build());
  }

  // ---------------------------------------------------------------- charges

  /**
   * Per key, across both processes: at most one answer is the write, every other is a replay of it
   * (same transaction) or a refusal, and a replay only exists beside the write. Per account: the
   * debits are exactly the written keys, each once and of the full price, and the balance is what
   * was granted minus them; an account that refused anything ran dry (every amount is a multiple of
   * the price, so a refusal means nothing was left). Returns what was charged, by account.
   */
  private Map<AccountId, Long> assertCharges(
      TenantId tenant, List<Answer> answers, Map<AccountId, Long> granted) {
    Map<String, List<Answer>> byKey = group(answers, "charge", Answer::key);
    Map<AccountId, Map<String, String>> written = new HashMap<>();
    Set<AccountId> refusedSomething = new HashSet<>();
    int mixed = 0;
    for (Map.Entry<String, List<Answer>> e : byKey.entrySet()) {
      List<Answer> as = e.getValue();
      AccountId account = AccountId.of(as.get(0).subject());
      assertThat(as).allSatisfy(a -> assertThat(a.subject()).isEqualTo(account.value()));
      List<Answer> writes = having(as, "committed");
      assertThat(writes).as("%s was written at most once: %s", e.getKey(), as).hasSizeLessThan(2);
      Set<String> named =
          as.stream()
              .filter(a -> !a.result().equals("refused"))
              .map(Answer::transaction)
              .collect(Collectors.toSet());
      assertThat(named)
          .as("%s: every answer names one transaction: %s", e.getKey(), as)
          .hasSizeLessThan(2);
      if (!having(as, "replayed").isEmpty()) {
        assertThat(writes).as("%s: a replay of a write that exists: %s", e.getKey(), as).hasSize(1);
      }
      if (!having(as, "refused").isEmpty()) {
        refusedSomething.add(account);
        if (!writes.isEmpty()) {
          mixed++; // see the summary line below
        }
      }
      if (writes.size() == 1) {
        written
            .computeIfAbsent(account, a -> new HashMap<>())
            .put(e.getKey(), writes.get(0).transaction());
      }
    }
    Map<AccountId, Long> charged = new HashMap<>();
    for (AccountId account : granted.keySet()) {
      if (account.equals(RES)) {
        continue;
      }
      Map<String, String> keys = written.getOrDefault(account, Map.of());
      List<LedgerTransaction> debits = debits(tenant, account);
      Map<String, String> stored = new HashMap<>();
      for (LedgerTransaction x : debits) {
        assertThat(stored.put(x.idempotencyKey().value(), x.id().value()))
            .as("%s posted once", x.idempotencyKey())
            .isNull();
        assertThat(x.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED)))
            .as("%s consumed the price", x.idempotencyKey())
            .isEqualTo(PRICE);
      }
      assertThat(stored)
          .as("%s: the stored debits are exactly the writes the processes were told of", account)
          .isEqualTo(keys);
      long spent = PRICE * keys.size();
      charged.put(account, spent);
      AccountBalance balance = store(tenant, account);
      assertThat(balance.total().minor())
          .as("%s: balance = granted - charged by both processes", account)
          .isEqualTo(granted.get(account) - spent);
      assertThat(balance.owed().isZero()).as("%s owes nothing", account).isTrue();
      if (refusedSomething.contains(account)) {
        assertThat(balance.total().minor()).as("%s refused only when dry", account).isZero();
      }
    }
    assertThat(refusedSomething).as("the hot account ran dry under both processes").contains(HOT);
    System.out.printf(
        "[two-jvm %s] charges: %d keys, %d written, %d refused by one process and written by the"
            + " other%n",
        db(), byKey.size(), written.values().stream().mapToInt(Map::size).sum(), mixed);
    return charged;
  }

  private AccountBalance store(TenantId tenant, AccountId account) {
    return TwoProcessWorkload.billing(store).credits().balance(tenant, account);
  }

  // ---------------------------------------------------------------- reservations

  /**
   * Every reserve key holds once (one write, the rest replays of it, one reservation); every
   * reservation settles once, whichever process and key settled it, every other settlement of it a
   * replay naming the same transaction; all are SETTLED, nothing stays reserved. Returns how many
   * reservations settled.
   */
  private long assertReservations(TenantId tenant, List<Answer> answers) {
    Map<String, List<Answer>> holds = group(answers, "reserve", Answer::key);
    int shared = (TwoProcessWorkload.RESERVATIONS + 1) / 2;
    assertThat(holds)
        .as("shared reserve keys plus each side's own")
        .hasSize(shared + 2 * (TwoProcessWorkload.RESERVATIONS - shared));
    Set<String> reservations = new HashSet<>();
    Map<String, String> holdOf = new HashMap<>();
    holds.forEach(
        (key, as) -> {
          assertThat(having(as, "committed")).as("%s held once: %s", key, as).hasSize(1);
          assertThat(as.stream().map(Answer::transaction).distinct()).as("%s", key).hasSize(1);
          assertThat(as.stream().map(Answer::reservation).distinct()).as("%s", key).hasSize(1);
          assertThat(reservations.add(as.get(0).reservation())).as("one key per hold").isTrue();
          holdOf.put(as.get(0).reservation(), as.get(0).transaction());
        });
    Map<String, List<Answer>> settles = group(answers, "settle", Answer::reservation);
    assertThat(settles.keySet()).as("every reservation was settled").isEqualTo(reservations);
    Map<String, List<Answer>> bySettleKey = group(answers, "settle", Answer::key);
    bySettleKey.forEach(
        (key, as) ->
            assertThat(having(as, "committed"))
                .as("settle key %s written at most once: %s", key, as)
                .hasSizeLessThan(2));
    Map<String, String> settlementOf = new HashMap<>();
    settles.forEach(
        (id, as) -> {
          assertThat(having(as, "committed")).as("%s settled once: %s", id, as).hasSize(1);
          assertThat(as.stream().map(Answer::transaction).distinct())
              .as("%s: every settlement answer names one transaction: %s", id, as)
              .hasSize(1);
          settlementOf.put(id, as.get(0).transaction());
          assertThat(store.findReservation(tenant, ReservationId.of(id)).orElseThrow().state())
              .isEqualTo(ReservationState.SETTLED);
        });
    List<LedgerTransaction> all = store.transactions(tenant, RES);
    assertThat(
            all.stream()
                .filter(t -> t.type() == TransactionType.HOLD)
                .map(t -> t.id().value())
                .collect(Collectors.toSet()))
        .as("one hold transaction per reservation")
        .isEqualTo(new HashSet<>(holdOf.values()))
        .hasSize(all.stream().filter(t -> t.type() == TransactionType.HOLD).toList().size());
    List<String> resolutions =
        all.stream()
            .filter(t -> t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.RESERVED)) < 0)
            .map(t -> t.id().value())
            .toList();
    assertThat(resolutions)
        .as("one settlement per reservation, none twice")
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(settlementOf.values());
    assertThat(store.loadAccount(tenant, RES).orElseThrow().reserved().minor()).isZero();
    AccountBalance balance = store(tenant, RES);
    assertThat(balance.total().minor())
        .as("res: granted - what every reservation settled for, once")
        .isEqualTo(TwoProcessWorkload.RES_GRANT - ACTUAL * reservations.size());
    System.out.printf(
        "[two-jvm %s] reservations: %d held, %d settlement answers%n",
        db(), reservations.size(), settles.values().stream().mapToInt(List::size).sum());
    return reservations.size();
  }

  // ---------------------------------------------------------------- ingest

  /**
   * Every event id sent by either process was inserted exactly once (one answer says inserted,
   * every other one duplicate); each usage account's events have sequences 1..N, N its distinct
   * ids, its cursor has ingested N, and each stored event is the payload sent.
   */
  private void assertIngest(TenantId tenant, List<Answer> answers) {
    Map<String, List<Answer>> byId = group(answers, "ingest", Answer::key);
    assertThat(byId).hasSize(TwoProcessWorkload.EVENTS);
    byId.forEach(
        (id, as) ->
            assertThat(having(as, "inserted")).as("%s inserted once: %s", id, as).hasSize(1));
    int duplicates = 0;
    for (List<Answer> as : byId.values()) {
      duplicates += having(as, "duplicate").size();
    }
    for (int u = 0; u < TwoProcessWorkload.USAGE_ACCOUNTS; u++) {
      AccountId account = TwoProcessWorkload.usage(u);
      Map<String, UsageEvent> sent = new HashMap<>();
      for (int k = u; k < TwoProcessWorkload.EVENTS; k += TwoProcessWorkload.USAGE_ACCOUNTS) {
        UsageEvent e = TwoProcessWorkload.event(tenant, k);
        sent.put(e.id(), e);
      }
      List<StoredUsageEvent> stored =
          store.lateUsage(
              tenant,
              account,
              TwoProcessWorkload.METER,
              0,
              Long.MAX_VALUE,
              TwoProcessWorkload.far(),
              ALL);
      long n = sent.size();
      assertThat(stored.stream().map(StoredUsageEvent::sequence).toList())
          .as("%s: sequences 1..%d, no gap, no repeat", account, n)
          .isEqualTo(LongStream.rangeClosed(1, n).boxed().toList());
      BigDecimal sum = BigDecimal.ZERO;
      for (StoredUsageEvent s : stored) {
        assertThat(s.event())
            .as("%s stored as sent", s.event().id())
            .isEqualTo(sent.get(s.event().id()));
        sum = sum.add(s.event().quantity());
      }
      assertThat(sum)
          .isEqualByComparingTo(
              sent.values().stream()
                  .map(UsageEvent::quantity)
                  .reduce(BigDecimal.ZERO, BigDecimal::add));
      RatingCursor cursor =
          store.findRatingCursor(tenant, account, TwoProcessWorkload.METER).orElseThrow();
      assertThat(cursor.ingestedSequence()).as("%s: ingestedSequence", account).isEqualTo(n);
    }
    System.out.printf(
        "[two-jvm %s] ingest: %d ids, %d duplicates acknowledged%n", db(), byId.size(), duplicates);
  }

  // ---------------------------------------------------------------- the ledger

  /**
   * The kit's ledger rules (every transaction balances, conservation, balances equal a replay,
   * within policy, one transaction per key), and in sequence order no grant below zero and no
   * overdraft at any point.
   */
  private void assertLedger(TenantId tenant, AccountId account) {
    StoreLedgerChecks.assertConsistent(store, tenant, account);
    Map<LedgerAccount, Long> running = new HashMap<>();
    for (LedgerTransaction t : store.transactions(tenant, account)) {
      assertThat(t.postings().stream().mapToLong(p -> p.amount().minor()).sum())
          .as("%s balances", t.idempotencyKey())
          .isZero();
      for (Posting p : t.postings()) {
        long now = running.merge(p.account(), p.amount().minor(), Math::addExact);
        if (p.account().isGrant()) {
          assertThat(now).as("%s after %s", p.account(), t.idempotencyKey()).isNotNegative();
        }
      }
      assertThat(running.getOrDefault(LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT), 0L))
          .as("overdraft after %s", t.idempotencyKey())
          .isZero();
    }
  }

  private List<LedgerTransaction> debits(TenantId tenant, AccountId account) {
    return store.transactions(tenant, account).stream()
        .filter(x -> x.type() != TransactionType.GRANT)
        .toList();
  }

  private static Map<String, List<Answer>> group(
      List<Answer> answers, String op, java.util.function.Function<Answer, String> by) {
    Map<String, List<Answer>> out = new HashMap<>();
    for (Answer a : answers) {
      if (a.op().equals(op)) {
        out.computeIfAbsent(by.apply(a), k -> new ArrayList<>()).add(a);
      }
    }
    return out;
  }

  private static List<Answer> having(List<Answer> answers, String result) {
    return answers.stream().filter(a -> a.result().equals(result)).toList();
  }

  // ---------------------------------------------------------------- the second JVM

  /** The second writer's process: started, released, read, bounded. */
  static final class Child {
    private final Process process;
    private final Path stderr;
    private final Thread reader;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final List<String> summary = Collections.synchronizedList(new ArrayList<>());
    private final List<String> other = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean done;

    private Child(Process process, Path stderr, List<Answer> answers) {
      this.process = process;
      this.stderr = stderr;
      this.reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith(TwoProcessWorkload.LINE)) {
                      answers.add(TwoProcessWorkload.parse(line));
                    } else if (line.equals(TwoProcessWorkload.READY)) {
                      ready.countDown();
                    } else if (line.equals(TwoProcessWorkload.DONE)) {
                      done = true;
                    } else if (line.startsWith("TWOJVM-SUMMARY")) {
                      summary.add(line);
                    } else {
                      other.add(line);
                    }
                  }
                } catch (IOException e) {
                  other.add("reading the child's stdout failed: " + e);
                }
              },
              "two-jvm-child-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(Db db, String url, TenantId tenant, List<Answer> answers)
        throws IOException {
      Path err = Files.createTempFile("two-jvm-child-", ".stderr");
      err.toFile().deleteOnExit();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb =
          new ProcessBuilder(
              java,
              "-Xmx256m",
              "-cp",
              classPath(),
              SecondWriterProcess.class.getName(),
              db.name(),
              PREFIX,
              tenant.value());
      pb.environment().put(TwoProcessWorkload.URL_VARIABLE, url);
      pb.redirectError(err.toFile());
      return new Child(pb.start(), err, answers);
    }

    void awaitReady() throws InterruptedException {
      // Bounded, not a timing assertion: a child that dies or never gets ready fails the test.
      // Counted in one-second waits, without reading a clock.
      long waits = TimeUnit.MINUTES.toSeconds(CHILD_MINUTES);
      for (long waited = 0; !ready.await(1, TimeUnit.SECONDS); waited++) {
        if (!process.isAlive() || waited >= waits) {
          throw new AssertionError(
              "the second JVM did not get ready (alive: "
                  + process.isAlive()
                  + (process.isAlive() ? "" : ", exit status " + process.exitValue())
                  + "), its other stdout: "
                  + other);
        }
      }
    }

    void go() throws IOException {
      Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      w.write(TwoProcessWorkload.GO + "\n");
      w.flush();
    }

    void awaitExit() throws InterruptedException {
      if (!process.waitFor(CHILD_MINUTES, TimeUnit.MINUTES)) {
        throw new AssertionError(
            "the second JVM did not finish within " + CHILD_MINUTES + " minutes");
      }
      reader.join(TimeUnit.MINUTES.toMillis(1));
      assertThat(process.exitValue())
          .as("the second JVM's exit status (stdout besides results: %s)", other)
          .isZero();
      assertThat(done).as("the second JVM ran its workload to the end").isTrue();
    }

    void kill() {
      process.destroyForcibly();
    }

    List<String> summary() {
      return summary;
    }

    String stderr() {
      try {
        String text = Files.readString(stderr, StandardCharsets.UTF_8);
        return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
      } catch (IOException e) {
        return "(could not read " + stderr + ": " + e + ")";
      }
    }
  }

  /**
   * The test's class path for the child. Surefire (3.5) boots its fork from a manifest-only jar
   * ({@code surefire.real.class.path}) but sets {@code java.class.path} to the real class path, so
   * that is what the child gets. Should a runner leave {@code java.class.path} naming only the
   * booter jar, the jar's manifest {@code Class-Path} is read instead.
   */
  static String classPath() throws IOException {
    String cp = System.getProperty("java.class.path");
    String[] entries = cp.split(File.pathSeparator);
    if (entries.length == 1 && new File(entries[0]).getName().startsWith("surefirebooter")) {
      try (JarFile jar = new JarFile(entries[0])) {
        Manifest m = jar.getManifest();
        List<String> files = new ArrayList<>();
        for (String url : m.getMainAttributes().getValue("Class-Path").split(" ")) {
          if (!url.isBlank()) {
            files.add(Path.of(java.net.URI.create(url)).toString());
          }
        }
        return String.join(File.pathSeparator, files);
      }
    }
    return cp;
  }
}
