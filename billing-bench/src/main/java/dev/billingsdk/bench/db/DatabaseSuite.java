package dev.billingsdk.bench.db;

import dev.billingsdk.bench.BenchConfig;
import dev.billingsdk.bench.Measurement;
import dev.billingsdk.bench.Report;
import dev.billingsdk.bench.Row;
import dev.billingsdk.bench.Suite;
import dev.billingsdk.bench.Target;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ConcurrentUpdateException;
import dev.billingsdk.jdbc.Dialect;
import dev.billingsdk.jdbc.JdbcBillingStore;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.setup.Billing;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The database runs, the same on every database: each of ours beside its baseline from the same
 * run, on the same server, at the same client count, repeats interleaved (ours, then the baseline,
 * then ours again) so that a drift of the shared machine hits both alike.
 */
abstract class DatabaseSuite implements Suite {
  static final String PREFIX = "bench_";

  /** The section of the results table: PostgreSQL, MariaDB, H2. */
  abstract String section();

  abstract Dialect dialect();

  /** The JDBC URL to open, or empty with the reason it is not run. */
  abstract String url(BenchConfig config) throws Exception;

  /** The size of the summary dataset. */
  abstract long summaryEvents(BenchConfig config);

  /** Why the summary dataset is smaller here than on PostgreSQL, or empty. */
  String summarySizeNote() {
    return "";
  }

  /** A note on where the database lives (H2's file), or empty. */
  String whereNote() {
    return "";
  }

  protected BenchConfig config;
  protected Report report;
  protected Database db;
  protected Billing billing;
  protected JdbcBillingStore store;

  /** The bank-transfer baseline of this run (pgbench, or the plain-JDBC client) and its name. */
  private Measurement bankM;

  private String bankName;

  /** The plain (uncoalesced) single-debit figure: the spread of the uncoalesced hot context row. */
  private Measurement singleM;

  @Override
  public void run(BenchConfig config, Report report) throws Exception {
    this.config = config;
    this.report = report;
    StringBuilder why = new StringBuilder();
    String url = url(config);
    Optional<Database> opened =
        Database.open(section(), dialect(), url, Math.max(8, 2 * config.clients()) + 4, why);
    if (opened.isEmpty()) {
      report.note(name() + " not run: " + why);
      Load.log(name() + " not run: " + why);
      return;
    }
    try (Database d = opened.get()) {
      this.db = d;
      report.fact(section() + " server", d.serverVersion() + whereNote());
      setUp();
      warmUp();
      runSingleDebit();
      runBatched();
      runHotAndSpread();
      runIngest();
      tearDown();
      Database summaryDb = summaryDatabase();
      try {
        runSummary(summaryDb);
      } finally {
        if (summaryDb != db) {
          summaryDb.close();
        }
      }
    }
  }

  // ---------------------------------------------------------------- setup

  private void setUp() throws Exception {
    long start = System.nanoTime();
    store = db.freshStore(PREFIX);
    db.freshStore(Ingest.COPY_PREFIX);
    billing =
        Billing.builder()
            .store(store)
            .maxAttempts(10_000)
            .metering(MeteringSettings.of(ingestPrices(), Duration.ofHours(1)))
            .build();
    Ledger.open(billing, store, 8);
    Ingest.defineMeter(billing);
    db.analyzeLedger(PREFIX);
    Optional<String> autovacuum = db.autovacuum();
    if (autovacuum.isPresent()) {
      report.fact(
          section() + " autovacuum",
          autovacuum.get()
              + "; the ledger tables are vacuumed and analyzed once after the accounts are loaded");
    }
    Load.log(
        name()
            + ": "
            + Ledger.ACCOUNTS
            + " accounts and their grants written in "
            + Load.f((System.nanoTime() - start) / 1e9)
            + " s");
    start = System.nanoTime();
    Tpcb.create(db);
    Load.log(
        name() + ": tpcb tables filled in " + Load.f((System.nanoTime() - start) / 1e9) + " s");
  }

  static PriceBook ingestPrices() {
    return PriceBook.builder(RoundingMode.HALF_EVEN)
        .meter(Ingest.METER, MeterPrice.of(Ledger.CREDITS, PriceModel.perUnit("0.001")))
        .build();
  }

  void tearDown() throws Exception {
    Tpcb.drop(db);
  }

  String clients(int n) {
    return n + (n == 1 ? " client" : " clients");
  }

  int seconds() {
    return config.dbSeconds();
  }

  /** The length of a context row's single run: a third of a timed run, at least 2 s. */
  int contextSeconds() {
    return Math.max(2, seconds() / 3);
  }

  int repeats() {
    return config.dbRepeats();
  }

  // ---------------------------------------------------------------- warm-up

  /**
   * Untimed charges and batches for {@code bench.dbWarmupSeconds} (30 s in a full run), half each,
   * so the JIT has compiled the write path and the pool and the database's plans are warm before
   * the first timed run.
   */
  private void warmUp() throws Exception {
    int c = config.clients();
    double half = config.dbWarmupSeconds() / 2.0;
    singleDebits(billing, c, "warmup-single", half);
    batchedDebits(c, "warmup-batched", new AtomicLong(), half);
    Load.log(
        name() + ": warmed up with charges and batches for " + config.dbWarmupSeconds() + " s");
    report.fact(
        section() + " warm-up",
        config.dbWarmupSeconds()
            + " s of untimed charges and chargeAll batches before the first timed run");
  }

  // ---------------------------------------------------------------- single debit

  /** Ours: one {@code charge} per database transaction, random accounts of the 10,000. */
  Load.Result singleDebits(Billing b, int clients, String label) throws Exception {
    return singleDebits(b, clients, label, seconds());
  }

  Load.Result singleDebits(Billing b, int clients, String label, double duration) throws Exception {
    return Load.run(
        clients,
        duration,
        t ->
            i -> {
              int a = ThreadLocalRandom.current().nextInt(Ledger.ACCOUNTS);
              b.credits().charge(Ledger.debit(Ledger.account(a), label + "-" + t + "-" + i));
              return 1;
            });
  }

  Load.Result plainTpcb(int clients) throws Exception {
    return Load.run(clients, seconds(), t -> Tpcb.client(db));
  }

  /**
   * The baseline of the single-debit row on this database: pgbench on PostgreSQL. Empty where there
   * is none (the plain-JDBC tpcb-like client then is the baseline).
   */
  Optional<Baseline> bankBaseline() throws Exception {
    return Optional.empty();
  }

  /** A baseline that is run once per repeat, interleaved with ours. */
  interface Baseline {
    String name();

    double runOnce() throws Exception;

    String note();
  }

  private void runSingleDebit() throws Exception {
    int c = config.clients();
    Optional<Baseline> bank = bankBaseline();
    double[] ours = new double[repeats()];
    double[] tpcb = new double[repeats()];
    double[] bankTps = new double[repeats()];
    for (int r = 0; r < repeats(); r++) {
      Load.Result o = singleDebits(billing, c, "single-" + r);
      ours[r] = o.rate();
      Load.log(name() + ": single debit, repeat " + r + ": " + Load.f(ours[r]) + " debits/s");
      if (bank.isEmpty() || r == 0) {
        // Where pgbench is the baseline, the Java client is context: one repeat is enough.
        tpcb[r] = plainTpcb(c).rate();
        Load.log(name() + ": plain-JDBC tpcb-like, repeat " + r + ": " + Load.f(tpcb[r]) + " tx/s");
      }
      if (bank.isPresent()) {
        bankTps[r] = bank.get().runOnce();
        Load.log(
            name()
                + ": "
                + bank.get().name()
                + ", repeat "
                + r
                + ": "
                + Load.f(bankTps[r])
                + " tps");
      }
    }
    Measurement oursM = Measurement.ofSamples(ours, "debits/s", false);
    Measurement tpcbM =
        Measurement.ofSamples(bank.isPresent() ? new double[] {tpcb[0]} : tpcb, "tx/s", false);
    String what =
        "each client calls credits().charge(1.00 credit, unique idempotency key) on a random one of"
            + " 10,000 accounts (3 grants each: 20 credits at priority 10 expiring, 10M purchased"
            + " at 50, 10M sign-up at 90); one database transaction per debit; "
            + seconds()
            + " s per repeat";
    String tpcbWhat =
        "plain JDBC from Java threads, one transaction of pgbench's tpcb-like statements (UPDATE"
            + " account, SELECT its balance, UPDATE teller, UPDATE branch, INSERT history) on "
            + Tpcb.BRANCHES
            + " branches, "
            + Tpcb.TELLERS
            + " tellers, "
            + String.format(Locale.ROOT, "%,d", Tpcb.ACCOUNTS)
            + " accounts";
    singleM = oursM;
    bankM = bank.isPresent() ? Measurement.ofSamples(bankTps, "tps", false) : tpcbM;
    bankName = bank.isPresent() ? bank.get().name() : "plain-JDBC tpcb-like";
    if (bank.isPresent()) {
      report.add(
          new Row(
              section(),
              "single debit per transaction, " + clients(c),
              oursM,
              bank.get().name(),
              bankM,
              Target.ratioAtLeast(0.75, bank.get().name()),
              what + ". Stretch: 0.9×. " + bank.get().note()));
      report.add(
          new Row(
              section(),
              "plain-JDBC tpcb-like client (context), " + clients(c),
              tpcbM,
              bank.get().name(),
              bankM,
              Target.none(),
              tpcbWhat
                  + "; how a Java client of the same transaction compares with pgbench (one"
                  + " repeat)"));
      report.add(
          new Row(
              section(),
              "single debit vs plain-JDBC tpcb-like (context), " + clients(c),
              oursM,
              "plain-JDBC tpcb-like",
              tpcbM,
              Target.none(),
              "ours as above, against the Java client of the bank transfer"));
    } else {
      report.add(
          new Row(
              section(),
              "single debit per transaction, " + clients(c),
              oursM,
              "plain-JDBC tpcb-like",
              tpcbM,
              Target.ratioAtLeast(0.75, "plain-JDBC tpcb-like"),
              what
                  + ". Baseline (no pgbench here): "
                  + tpcbWhat
                  + ". Target as for pgbench on PostgreSQL; stretch 0.9×"));
    }
  }

  // ---------------------------------------------------------------- batched

  /** Ours: {@code chargeAll} of {@value #BATCHED} debits over random accounts, one commit each. */
  Load.Result batchedDebits(int clients, String label, AtomicLong refused) throws Exception {
    return batchedDebits(clients, label, refused, seconds());
  }

  Load.Result batchedDebits(int clients, String label, AtomicLong refused, double duration)
      throws Exception {
    return Load.run(
        clients,
        duration,
        t ->
            i -> {
              ThreadLocalRandom r = ThreadLocalRandom.current();
              List<ChargeRequest> requests = new ArrayList<>(BATCHED);
              for (int k = 0; k < BATCHED; k++) {
                requests.add(
                    Ledger.debit(
                        Ledger.account(r.nextInt(Ledger.ACCOUNTS)),
                        label + "-" + t + "-" + i + "-" + k));
              }
              long charged = 0;
              for (ChargeOutcome o : billing.credits().chargeAll(requests)) {
                if (o instanceof ChargeOutcome.Refused no) {
                  if (!(no.reason() instanceof ConcurrentUpdateException)) {
                    throw no.reason();
                  }
                  refused.incrementAndGet();
                } else {
                  if (o.result().replayed()) {
                    throw new AssertionError("a fresh key was answered as a replay: " + o);
                  }
                  charged++;
                }
              }
              return charged;
            });
  }

  static final int BATCHED = 100;

  private void runBatched() throws Exception {
    int c = config.clients();
    double[] ours = new double[repeats()];
    AtomicLong refused = new AtomicLong();
    for (int r = 0; r < repeats(); r++) {
      ours[r] = batchedDebits(c, "batched-" + r, refused).rate();
      Load.log(name() + ": batched debits, repeat " + r + ": " + Load.f(ours[r]) + " debits/s");
    }
    report.add(
        new Row(
            section(),
            "batched debits, " + BATCHED + " per commit, " + clients(c),
            Measurement.ofSamples(ours, "debits/s", false),
            bankName,
            bankM,
            Target.ratioAtLeast(4.0, bankName),
            "each client calls credits().chargeAll with "
                + BATCHED
                + " debits of 1.00 credit on random accounts of the 10,000 (one commitBatch, one"
                + " database transaction per call); debits/s counts charged requests"
                + (refused.get() > 0
                    ? " (" + refused.get() + " refused as ConcurrentUpdateException, not counted)"
                    : "")
                + ". Baseline: the same "
                + bankName
                + " runs as the single-debit row. Stretch: 5×"));
  }

  // ---------------------------------------------------------------- hot account

  private final AtomicLong hotDebited = new AtomicLong();

  /** {@code clients} clients charging the one hot account. */
  Load.Result hotDebits(Billing b, int clients, String label, AtomicLong gaveUp) throws Exception {
    return hotDebits(b, clients, label, gaveUp, seconds());
  }

  Load.Result hotDebits(Billing b, int clients, String label, AtomicLong gaveUp, double duration)
      throws Exception {
    return Load.run(
        clients,
        duration,
        t ->
            i -> {
              try {
                b.credits().charge(Ledger.debit(Ledger.HOT, label + "-" + t + "-" + i));
              } catch (ConcurrentUpdateException e) {
                gaveUp.incrementAndGet();
                return 0;
              }
              hotDebited.incrementAndGet();
              return 1;
            });
  }

  /** The client count of the context rows at a higher concurrency. */
  static final int MANY = 8;

  /** The lanes of the context row coalescing across accounts. */
  static final int LANES = 2;

  private void runHotAndSpread() throws Exception {
    int c = config.clients();
    Billing coalescing =
        Billing.builder().store(store).maxAttempts(10_000).coalesceCharges(BATCHED).build();
    AtomicLong gaveUp = new AtomicLong();
    double[] hot = new double[repeats()];
    double[] spread = new double[repeats()];
    for (int r = 0; r < repeats(); r++) {
      spread[r] = singleDebits(coalescing, c, "spread-" + r).rate();
      hot[r] = hotDebits(coalescing, c, "hot-" + r, gaveUp).rate();
      Load.log(
          name()
              + ": spread "
              + Load.f(spread[r])
              + " debits/s, hot (coalescing) "
              + Load.f(hot[r])
              + " debits/s, repeat "
              + r);
    }
    Ledger.checkHot(billing, db, PREFIX, hotDebited.get());
    Measurement spreadM = Measurement.ofSamples(spread, "debits/s", false);
    String same =
        "the single-debit load (credits().charge, 1.00 credit, unique keys) on the one account"
            + " 'hot' (reject overdraft policy, 3 grants)";
    report.add(
        new Row(
            section(),
            "one hot account vs spread over 10,000, " + clients(c),
            Measurement.ofSamples(hot, "debits/s", false),
            "spread over 10,000 accounts",
            spreadM,
            Target.ratioAtLeast(0.5, "spread"),
            same
                + ", on a Billing with coalesceCharges("
                + BATCHED
                + "); baseline: the same load on random accounts of the 10,000 through the same"
                + " Billing, repeats interleaved. After the runs the hot account is checked: no"
                + " grant below zero, nothing owed, total = granted - successful debits (library"
                + " and tables)"));

    // Context: the hot account without coalescing, and both at a higher client count.
    AtomicLong gaveUpPlain = new AtomicLong();
    double plainHot = hotDebits(billing, c, "hot-plain", gaveUpPlain, contextSeconds()).rate();
    Load.log(name() + ": hot without coalescing " + Load.f(plainHot) + " debits/s");
    double manySpread = singleDebits(coalescing, MANY, "spread-many", contextSeconds()).rate();
    double manyHot = hotDebits(coalescing, MANY, "hot-many", gaveUp, contextSeconds()).rate();
    Load.log(
        name()
            + ": "
            + MANY
            + " clients: spread "
            + Load.f(manySpread)
            + ", hot (coalescing) "
            + Load.f(manyHot)
            + " debits/s");
    Billing across =
        Billing.builder()
            .store(store)
            .maxAttempts(10_000)
            .coalesceChargesAcrossAccounts(BATCHED, LANES)
            .build();
    double manyAcross = singleDebits(across, MANY, "spread-many-across", contextSeconds()).rate();
    Load.log(
        name()
            + ": "
            + MANY
            + " clients, coalescing across accounts in "
            + LANES
            + " lanes: spread "
            + Load.f(manyAcross)
            + " debits/s");
    Ledger.checkHot(billing, db, PREFIX, hotDebited.get());
    report.add(
        new Row(
            section(),
            "one hot account without coalescing (context), " + clients(c),
            Measurement.rate(plainHot, "debits/s"),
            "spread, single-debit row",
            singleM,
            Target.none(),
            same
                + ", on the plain Billing (no coalescing: concurrent charges race the account"
                + " version and retry); one run of "
                + contextSeconds()
                + " s"
                + (gaveUpPlain.get() > 0
                    ? "; " + gaveUpPlain.get() + " charges gave up (ConcurrentUpdateException)"
                    : "")));
    report.add(
        new Row(
            section(),
            "one hot account vs spread (context), " + clients(MANY),
            Measurement.rate(manyHot, "debits/s"),
            "spread over 10,000 accounts, " + clients(MANY),
            Measurement.rate(manySpread, "debits/s"),
            Target.none(),
            "as the hot-account row, at "
                + MANY
                + " clients, coalescing on; one run of "
                + contextSeconds()
                + " s each"
                + (gaveUp.get() > 0
                    ? "; " + gaveUp.get() + " charges gave up (ConcurrentUpdateException)"
                    : "")));
    report.add(
        new Row(
            section(),
            "spread, coalescing across accounts vs per account (context), " + clients(MANY),
            Measurement.rate(manyAcross, "debits/s"),
            "spread, coalescing per account, " + clients(MANY),
            Measurement.rate(manySpread, "debits/s"),
            Target.none(),
            "the single-debit load on random accounts of the 10,000 at "
                + MANY
                + " clients, on a Billing with coalesceChargesAcrossAccounts("
                + BATCHED
                + ", "
                + LANES
                + "): charges that arrive while a lane commits go into its next commit, whatever"
                + " their accounts; one run of "
                + contextSeconds()
                + " s each"));
  }

  // ---------------------------------------------------------------- ingest

  /** The bulk loads to compare ingest with: the first is the row's baseline, the rest context. */
  abstract List<BulkLoad> bulkLoads();

  /** A bulk load of the rows ours stored; returns the seconds taken. */
  interface BulkLoad {
    String name();

    double load(Database db, List<List<Object[]>> rows, Path scratch) throws Exception;
  }

  static BulkLoad bulk(String name, BulkLoadFn fn) {
    return new BulkLoad() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public double load(Database db, List<List<Object[]>> rows, Path scratch) throws Exception {
        return fn.load(db, rows, scratch);
      }
    };
  }

  @FunctionalInterface
  interface BulkLoadFn {
    double load(Database db, List<List<Object[]>> rows, Path scratch) throws Exception;
  }

  private void runIngest() throws Exception {
    int c = config.clients();
    List<BulkLoad> loads = bulkLoads();
    double[] ours = new double[repeats()];
    double[][] base = new double[loads.size()][repeats()];
    String[] failed = new String[loads.size()];
    long storedTotal = 0;
    // Untimed warm-up (JIT, and a table with rows for the planner's statistics).
    Load.run(c, Math.min(3, seconds()), t -> Ingest.client(billing, "warmup", t));
    for (int r = 0; r < repeats(); r++) {
      String run = "r" + r;
      // Fresh statistics on the growing table before each repeat, as autovacuum would keep them
      // (see Summary.ANALYZE_EVERY for what happens on PostgreSQL without).
      Summary.analyze(db, PREFIX + "usage_events");
      Load.Result o = Load.run(c, seconds(), t -> Ingest.client(billing, run, t));
      ours[r] = o.rate();
      Load.log(name() + ": ingest, repeat " + r + ": " + Load.f(ours[r]) + " rows/s");
      List<List<Object[]>> rows = Ingest.storedChunks(db, PREFIX, run, c);
      long n = Ingest.rows(rows);
      if (n != o.items()) {
        throw new AssertionError(
            "ingest stored " + n + " rows but the clients counted " + o.items() + " new events");
      }
      storedTotal += n;
      for (int k = 0; k < loads.size(); k++) {
        if (failed[k] != null) {
          continue;
        }
        Ingest.truncateCopy(db);
        try {
          double s = loads.get(k).load(db, rows, config.output().resolve("scratch"));
          long copied = Ingest.copiedRows(db);
          if (copied != n) {
            throw new AssertionError(loads.get(k).name() + " stored " + copied + " of " + n);
          }
          base[k][r] = n / s;
          Load.log(
              name()
                  + ": "
                  + loads.get(k).name()
                  + ", repeat "
                  + r
                  + ": "
                  + Load.f(base[k][r])
                  + " rows/s");
        } catch (java.sql.SQLException e) {
          if (k == 0) {
            throw e;
          }
          failed[k] = e.getMessage();
          report.note(name() + ": " + loads.get(k).name() + " skipped: " + e.getMessage());
          Load.log(name() + ": " + loads.get(k).name() + " skipped: " + e);
        }
      }
    }
    Measurement oursM = Measurement.ofSamples(ours, "rows/s", false);
    String what =
        String.format(
            Locale.ROOT,
            "metering().ingest in batches of %d events (%d new + %d resent ids of earlier events,"
                + " same payload); rows/s counts the new rows stored; each client owns %d accounts"
                + " (one meter, dimensions model/direction/user); %d s per repeat, %,d rows stored"
                + " in all, after an untimed warm-up of up to 3 s; usage_events analyzed before"
                + " each repeat",
            Ingest.BATCH,
            Ingest.FRESH,
            Ingest.DUPLICATES,
            Ingest.ACCOUNTS_PER_CLIENT,
            seconds(),
            storedTotal);
    String baseWhat =
        " Baseline: the same rows read back from the library's table (same columns and values),"
            + " loaded into an equivalent table (the library's migration under prefix "
            + Ingest.COPY_PREFIX
            + ": same columns, primary key, unique key and index), "
            + Ingest.FRESH
            + " rows per statement and transaction, by the same clients.";
    for (int k = 0; k < loads.size(); k++) {
      if (failed[k] != null) {
        continue;
      }
      Measurement b = Measurement.ofSamples(base[k], "rows/s", false);
      report.add(
          new Row(
              section(),
              k == 0
                  ? "usage ingest with dedup, batched, " + clients(c)
                  : "usage ingest vs " + loads.get(k).name() + " (context), " + clients(c),
              oursM,
              loads.get(k).name(),
              b,
              k == 0 ? Target.ratioAtLeast(0.5, loads.get(k).name()) : Target.none(),
              k == 0 ? what + "." + baseWhat : "ours as above."));
    }
  }

  // ---------------------------------------------------------------- summary

  /** The database the summary rows run on: the same one, unless a database needs other settings. */
  Database summaryDatabase() throws Exception {
    return db;
  }

  private void runSummary(Database sdb) throws Exception {
    long events = summaryEvents(config);
    Summary s = new Summary(sdb, events);
    String how = s.prepare(Math.max(4, config.clients()));
    s.analyze();
    List<UsageSummaryRow> ours = s.ours();
    List<Summary.Hand> hand = s.handWritten();
    List<Object[]> raw = s.rawGroupBy();
    Summary.check(ours, hand, raw);
    int perSample = config.quick() ? 3 : 10;
    for (int w = 0; w < 3; w++) {
      s.ours();
      s.handWritten();
    }
    s.rawGroupBy(); // one warm-up: over 1,000,000 raw events it takes seconds on MariaDB
    double[] oursMs = new double[repeats()];
    double[] handMs = new double[repeats()];
    double[] rawMs = new double[repeats()];
    for (int r = 0; r < repeats(); r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < perSample; i++) {
        s.ours();
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < perSample; i++) {
        s.handWritten();
      }
      long t2 = System.nanoTime();
      s.rawGroupBy();
      long t3 = System.nanoTime();
      oursMs[r] = (t1 - t0) / 1e6 / perSample;
      handMs[r] = (t2 - t1) / 1e6 / perSample;
      rawMs[r] = (t3 - t2) / 1e6;
      Load.log(
          String.format(
              Locale.ROOT,
              "%s: summary, repeat %d: ours %.2f ms, hand-written %.2f ms, raw GROUP BY %.0f ms",
              name(),
              r,
              oursMs[r],
              handMs[r],
              rawMs[r]));
    }
    Measurement oursM = Measurement.ofSamples(oursMs, "ms", true);
    Measurement handM = Measurement.ofSamples(handMs, "ms", true);
    Measurement rawM = Measurement.ofSamples(rawMs, "ms", true);
    String what =
        String.format(
            Locale.ROOT,
            "metering().monthlySummaries(tenant, %d-%02d) over %,d usage events (%d accounts, 2"
                + " meters, %d summary rows from %,d rated lines); per query, mean of %d queries"
                + " per repeat after 3 warm-ups, tables analyzed first. Dataset: %s. Totals checked"
                + " equal: ours = hand-written per row (quantity and credits), and per meter = the"
                + " raw events",
            Summary.YEAR,
            Summary.MONTH,
            s.storedEvents(),
            Summary.ACCOUNTS,
            ours.size(),
            ratedLines(sdb, s),
            perSample,
            how);
    report.add(
        new Row(
            section(),
            "monthly usage summary, "
                + String.format(Locale.ROOT, "%,d", s.storedEvents())
                + " events",
            oursM,
            "hand-written GROUP BY on rated_lines",
            handM,
            Target.timeAtMost(1.5, "hand-written GROUP BY"),
            what
                + summarySizeNote()
                + ". Baseline: SELECT account, meter, dimension_key, SUM(quantity), SUM(credits)"
                + " FROM "
                + s.prefix
                + "rated_lines WHERE tenant/year/month GROUP BY account, meter, dimension_key"
                + " ORDER BY them, read into Java objects"));
    report.add(
        new Row(
            section(),
            "monthly usage summary vs GROUP BY over raw usage_events (context)",
            oursM,
            "GROUP BY over the raw events",
            rawM,
            Target.none(),
            "SELECT account, meter, dimensions, SUM(quantity), COUNT(*) FROM "
                + s.prefix
                + "usage_events WHERE tenant and occurred_at in the month GROUP BY account, meter,"
                + " dimensions: what summarising without rating would cost (one query per"
                + " repeat)"));
  }

  private long ratedLines(Database sdb, Summary s) throws java.sql.SQLException {
    try (java.sql.Connection c = sdb.connection();
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery("SELECT COUNT(*) FROM " + s.prefix + "rated_lines")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
