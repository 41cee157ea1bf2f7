package dev.billingsdk.bench.db;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.bench.BenchConfig;
import dev.billingsdk.bench.Measurement;
import dev.billingsdk.bench.Report;
import dev.billingsdk.bench.Row;
import dev.billingsdk.bench.Suite;
import dev.billingsdk.bench.Target;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.jdbc.Dialect;
import dev.billingsdk.jdbc.JdbcBillingStore;
import dev.billingsdk.jdbc.JdbcStatementStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementClose;
import dev.billingsdk.statement.StatementCloseRequest;
import dev.billingsdk.statement.StatementLine;
import dev.billingsdk.statement.UsageCell;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The monthly statement of one account whose month holds {@code bench.statement.events} usage
 * events (1,000,000 by default), on PostgreSQL: how long {@code statements().statement(..)} takes
 * to build the open month from the ledger, how long the close job takes to build and store it, and
 * how long reading the stored statement takes.
 *
 * <p>The dataset (not timed, kept between runs under {@code benchstmt<events>m<interval>_} when a
 * marker says it is complete): tenant {@code bench-stmt}, one account with one grant, a
 * running-time meter {@code machines} (12 credits a machine-hour, dimensions instance, pool, type,
 * region; key instance; heartbeat timeout 15 minutes) and {@value #INSTANCES} machines that each
 * send a heartbeat every few minutes through October 2026 (a third of them stop from 01:00 to 05:00
 * UTC every night). The events go through {@code metering().ingest} one hour at a time, on a bench
 * clock at the end of that hour, and {@code deductions().run()} runs ten minutes after each hour
 * and rates the windows of the deduction interval that ended (one hour unless {@code
 * bench.statement.intervalMinutes} says otherwise; one posting per window, as a job run every
 * interval would post): the ledger and rated lines are what production holds.
 *
 * <p>Each timed figure runs its call for at least {@code bench.statement.warmupSeconds} (30: the
 * project's rule, a cold JVM once put a figure off threefold) before {@code
 * bench.statement.iterations} (30) measured calls; the row gives the median, the note the p95.
 */
public final class StatementSuite implements Suite {
  static final TenantId TENANT = TenantId.of("bench-stmt");
  static final AccountId ACCOUNT = AccountId.of("licence-1");
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final Actor ADMIN = Actor.of("bench-admin", Role.ADMIN);
  static final Actor FINANCE = Actor.of("bench-finance", Role.FINANCE);
  static final Actor JOBS = Actor.system("bench-billing-jobs");
  static final Actor GATEWAY = Actor.system("bench-gateway");
  static final String METER = "machines";
  static final YearMonth MONTH = YearMonth.of(2026, 10);
  static final Instant MONTH_START = Instant.parse("2026-10-01T00:00:00Z");
  static final Instant MONTH_END = Instant.parse("2026-11-01T00:00:00Z");

  /** When the statements are read and closed: half an hour after the month, its last window run. */
  static final Instant AFTER_MONTH = MONTH_END.plus(Duration.ofMinutes(30));

  static final int INSTANCES = 100;
  private static final String[] POOLS = {"gpu", "cpu", "memory", "spot"};
  private static final String[][] TYPES = {
    {"a100", "h100", "l4"},
    {"c5.xlarge", "c5.4xlarge", "c7g.2xlarge"},
    {"r5.2xlarge", "x2idn"},
    {"m5.large", "m6i.xlarge"}
  };
  private static final String[] REGIONS = {"eu-west", "us-east", "us-west", "ap-south"};

  private BenchConfig config;
  private Report report;
  private Database db;
  private long events;
  private int intervalMinutes;
  private String prefix;
  private final BenchClock clock = new BenchClock(MONTH_START);
  private Billing billing;

  public StatementSuite() {}

  @Override
  public String name() {
    return "statement";
  }

  private static String setting(String property, String fallback) {
    String v = System.getProperty(property);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  @Override
  public void run(BenchConfig config, Report report) throws Exception {
    this.config = config;
    this.report = report;
    this.events =
        Long.parseLong(
            setting("bench.statement.events", config.quick() ? "20000" : "1000000")
                .replace("_", ""));
    this.intervalMinutes = Integer.parseInt(setting("bench.statement.intervalMinutes", "60"));
    this.prefix = "benchstmt" + events + "m" + intervalMinutes + "_";
    int warmupSeconds =
        Integer.parseInt(setting("bench.statement.warmupSeconds", config.quick() ? "3" : "30"));
    int iterations =
        Integer.parseInt(setting("bench.statement.iterations", config.quick() ? "5" : "30"));
    StringBuilder why = new StringBuilder();
    Optional<Database> opened =
        Database.open("PostgreSQL", Dialect.POSTGRESQL, config.postgresUrl(), 4, why);
    if (opened.isEmpty()) {
      report.note(name() + " not run: " + why);
      Load.log(name() + " not run: " + why);
      return;
    }
    try (Database d = opened.get()) {
      this.db = d;
      report.fact("PostgreSQL server", d.serverVersion());
      String how = prepare();
      Summary.analyze(db, prefix + "transactions");
      Summary.analyze(db, prefix + "rated_lines");
      Summary.analyze(db, prefix + "usage_events");
      clock.set(AFTER_MONTH);
      deleteClosed();
      measure(how, warmupSeconds, iterations);
    }
  }

  // ---------------------------------------------------------------- the dataset

  private Billing billing(JdbcBillingStore store) {
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(METER, MeterPrice.of(CREDITS, PriceModel.perHour("12")))
            .build();
    return Billing.builder()
        .store(store)
        .clock(clock)
        .metering(MeteringSettings.of(prices, Duration.ofMinutes(intervalMinutes)))
        .statements(JdbcStatementStore.create(db.dataSource(), prefix))
        .build();
  }

  /**
   * Makes sure the dataset is there, complete and rated; loads it through the library if not.
   *
   * @return how the dataset came to be, for the row note
   */
  private String prepare() throws Exception {
    if (complete()) {
      billing = billing(db.store(prefix));
      return "kept from an earlier run (verified: marker, "
          + String.format(Locale.ROOT, "%,d", events)
          + " events stored, the cursor rated to the last one)";
    }
    dropPrefix();
    JdbcBillingStore store = db.store(prefix); // applies the schema
    billing = billing(store);
    long start = System.nanoTime();
    clock.set(MONTH_START);
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(TENANT, ACCOUNT, CREDITS)
                .actor(ADMIN)
                .holder("uma")
                .build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(TENANT, ACCOUNT, Amount.of(CREDITS, "100000000"))
                .idempotencyKey(IdempotencyKey.of("bench-grant"))
                .actor(ADMIN)
                .reason("bench setup")
                .build());
    billing
        .metering()
        .defineMeter(
            Meter.builder(TENANT, METER, Aggregation.RUNNING_TIME)
                .unit("seconds")
                .dimensions("instance", "pool", "type", "region")
                .keyDimension("instance")
                .heartbeatTimeout(Duration.ofMinutes(15))
                .build(),
            ADMIN);
    long perInstance = events / INSTANCES;
    long period = Duration.between(MONTH_START, MONTH_END).toMillis() / perInstance;
    Duration interval = Duration.ofMinutes(intervalMinutes);
    Instant nextRun = MONTH_START.plus(interval);
    double ingestSeconds = 0;
    double deductSeconds = 0;
    long ingested = 0;
    long postings = 0;
    int runs = 0;
    for (Instant hour = MONTH_START;
        hour.isBefore(MONTH_END);
        hour = hour.plus(1, ChronoUnit.HOURS)) {
      Instant end = hour.plus(1, ChronoUnit.HOURS);
      List<UsageEvent> batch = hourOfEvents(hour, end, perInstance, period);
      clock.set(end);
      long t0 = System.nanoTime();
      for (int from = 0; from < batch.size(); from += 5_000) {
        billing
            .metering()
            .ingest(batch.subList(from, Math.min(batch.size(), from + 5_000)), GATEWAY);
      }
      ingestSeconds += (System.nanoTime() - t0) / 1e9;
      long before = ingested;
      ingested += batch.size();
      if (Summary.analyzeAt(before, ingested)) {
        Summary.analyze(db, prefix + "usage_events"); // fresh statistics: see Summary
      }
      // The periodic job, ten minutes after the hour in which windows ended: it rates every
      // window that ended (one posting per window and account, as a job every interval would).
      if (!nextRun.isAfter(end)) {
        clock.set(end.plus(Duration.ofMinutes(10)));
        long t1 = System.nanoTime();
        DeductionReport r = billing.deductions().run();
        deductSeconds += (System.nanoTime() - t1) / 1e9;
        if (!r.failures().isEmpty()) {
          throw new IllegalStateException("the deduction failed: " + r.failures());
        }
        postings += r.postings().size();
        runs++;
        while (!nextRun.isAfter(end)) {
          nextRun = nextRun.plus(interval);
        }
      }
      if (hour.atZone(ZoneOffset.UTC).getHour() == 23) {
        Load.log(
            String.format(
                Locale.ROOT,
                "statement dataset: %s done, %,d events; ingest %.0f s, deductions %.0f s",
                hour.atZone(ZoneOffset.UTC).toLocalDate(),
                ingested,
                ingestSeconds,
                deductSeconds));
      }
    }
    db.execute(
        "CREATE TABLE " + prefix + "meta (events BIGINT NOT NULL)",
        "INSERT INTO " + prefix + "meta (events) VALUES (" + events + ")");
    if (!complete()) {
      throw new IllegalStateException("the statement dataset is incomplete after loading it");
    }
    double total = (System.nanoTime() - start) / 1e9;
    String how =
        String.format(
            Locale.ROOT,
            "loaded in this run through the library, one thread: ingest %.0f s (%,.0f events/s,"
                + " one call per hour of events), %d deduction runs %.0f s (%d postings); total"
                + " %.0f s",
            ingestSeconds,
            ingested / ingestSeconds,
            runs,
            deductSeconds,
            postings,
            total);
    Load.log("statement dataset: " + how);
    return how;
  }

  /** The events of [hour, end): each machine's heartbeats in it, in time order. */
  private List<UsageEvent> hourOfEvents(Instant hour, Instant end, long perInstance, long period) {
    List<UsageEvent> batch = new ArrayList<>();
    long fromMs = hour.toEpochMilli() - MONTH_START.toEpochMilli();
    long toMs = end.toEpochMilli() - MONTH_START.toEpochMilli();
    for (int i = 0; i < INSTANCES; i++) {
      long offset = i * (period / INSTANCES);
      long k = Math.max(0, (fromMs - offset + period - 1) / period);
      for (; k < perInstance; k++) {
        long at = offset + k * period;
        if (at >= toMs) {
          break;
        }
        if (at < fromMs) {
          continue;
        }
        batch.add(event(i, k, MONTH_START.plusMillis(at)));
      }
    }
    batch.sort(java.util.Comparator.comparing(UsageEvent::occurredAt));
    return batch;
  }

  private static UsageEvent event(int i, long k, Instant at) {
    int pool = i % POOLS.length;
    String[] types = TYPES[pool];
    int hourOfDay = at.atZone(ZoneOffset.UTC).getHour();
    boolean nightStop = i % 3 == 0 && hourOfDay >= 1 && hourOfDay < 5;
    return UsageEvent.builder(TENANT, ACCOUNT, METER)
        .id("m" + i + "-" + k)
        .quantity(nightStop ? BigDecimal.ZERO : BigDecimal.ONE)
        .occurredAt(at)
        .dimensions(
            Map.of(
                "instance", String.format(Locale.ROOT, "m-%03d", i),
                "pool", POOLS[pool],
                "type", types[(i / POOLS.length) % types.length],
                "region", REGIONS[(i / 7) % REGIONS.length]))
        .build();
  }

  private boolean complete() throws SQLException {
    try (Connection c = db.connection();
        java.sql.Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT events FROM " + prefix + "meta")) {
        if (!rs.next() || rs.getLong(1) != events) {
          return false;
        }
      } catch (SQLException e) {
        return false; // no marker table
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT (SELECT COUNT(*) FROM "
                  + prefix
                  + "usage_events), (SELECT COUNT(*) FROM "
                  + prefix
                  + "rating_cursors WHERE rated_sequence <> ingested_sequence),"
                  + " (SELECT COUNT(*) FROM "
                  + prefix
                  + "rated_lines)")) {
        rs.next();
        return rs.getLong(1) == (events / INSTANCES) * INSTANCES
            && rs.getLong(2) == 0
            && rs.getLong(3) > 0;
      }
    }
  }

  /** Drops every table and sequence under the dataset's prefix. */
  private void dropPrefix() throws SQLException {
    List<String> drops = new ArrayList<>();
    try (Connection c = db.connection()) {
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getTables(null, null, prefix + "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String t = rs.getString("TABLE_NAME");
          if (t.startsWith(prefix)) {
            drops.add("DROP TABLE IF EXISTS " + t + " CASCADE");
          }
        }
      }
    }
    drops.add("DROP SEQUENCE IF EXISTS " + prefix + "sequence");
    db.execute(drops.toArray(new String[0]));
  }

  private void deleteClosed() throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "DELETE FROM "
                    + prefix
                    + "closed_statements WHERE tenant = ? AND account_id = ?")) {
      c.setAutoCommit(true);
      s.setString(1, TENANT.value());
      s.setString(2, ACCOUNT.value());
      s.executeUpdate();
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection c = db.connection();
        java.sql.Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  // ---------------------------------------------------------------- the timed calls

  /** The samples of one timed call, in milliseconds, and the warm-up it had. */
  record Timing(double[] ms, int warmups, double warmupSeconds) {
    double median() {
      return percentile(0.5);
    }

    double p95() {
      return percentile(0.95);
    }

    double percentile(double p) {
      double[] sorted = ms.clone();
      Arrays.sort(sorted);
      // Nearest rank.
      int rank = (int) Math.ceil(p * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    double min() {
      return Arrays.stream(ms).min().orElse(Double.NaN);
    }

    double max() {
      return Arrays.stream(ms).max().orElse(Double.NaN);
    }
  }

  private Timing time(
      String label, int warmupSeconds, int iterations, Runnable before, Runnable call) {
    long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
    long warmStart = System.nanoTime();
    int warmups = 0;
    while (System.nanoTime() < warmEnd || warmups < 1) {
      before.run();
      call.run();
      warmups++;
    }
    double warmed = (System.nanoTime() - warmStart) / 1e9;
    Load.log(
        String.format(
            Locale.ROOT, "statement: %s warmed up, %d calls in %.0f s", label, warmups, warmed));
    double[] ms = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      before.run();
      long t0 = System.nanoTime();
      call.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Timing t = new Timing(ms, warmups, warmed);
    Load.log(
        String.format(
            Locale.ROOT,
            "statement: %s median %.1f ms, p95 %.1f ms, min %.1f, max %.1f (%d calls)",
            label,
            t.median(),
            t.p95(),
            t.min(),
            t.max(),
            iterations));
    return t;
  }

  private static void unchecked(SqlWork work) {
    try {
      work.run();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @FunctionalInterface
  private interface SqlWork {
    void run() throws SQLException;
  }

  /** Heap figures of one build: bytes the thread allocated, heap retained, heap pools' peak. */
  record Heap(long allocated, long retained, long peakAboveBaseline) {}

  private static Heap heapOf(Supplier<Statement> build) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    List<MemoryPoolMXBean> pools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toList();
    System.gc();
    long baseline = used(pools);
    pools.forEach(MemoryPoolMXBean::resetPeakUsage);
    long id = Thread.currentThread().getId();
    long a0 = threads.getThreadAllocatedBytes(id);
    Statement held = build.get();
    long allocated = threads.getThreadAllocatedBytes(id) - a0;
    long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    System.gc();
    long retained = used(pools) - baseline;
    if (held.usage().isEmpty()) {
      throw new AssertionError("keeps the statement reachable until measured");
    }
    return new Heap(allocated, retained, peak - baseline);
  }

  private static long used(List<MemoryPoolMXBean> pools) {
    return pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
  }

  private void measure(String how, int warmupSeconds, int iterations) throws Exception {
    Supplier<Statement> open =
        () -> billing.statements().statement(TENANT, ACCOUNT, MONTH, FINANCE);
    StatementCloseRequest closeRequest = StatementCloseRequest.of(TENANT, MONTH, JOBS);
    Statement built = open.get();
    check(built);
    long ratedLines =
        count(
            "SELECT COUNT(*) FROM "
                + prefix
                + "rated_lines WHERE tenant = '"
                + TENANT.value()
                + "' AND account = '"
                + ACCOUNT.value()
                + "'");
    long storedEvents = count("SELECT COUNT(*) FROM " + prefix + "usage_events");
    Timing openT = time("open statement", warmupSeconds, iterations, () -> {}, open::get);
    Heap heap = heapOf(open);
    Load.log(
        String.format(
            Locale.ROOT,
            "statement: one build allocated %.1f MB, retained %.1f MB, heap peak %.1f MB above"
                + " the baseline",
            heap.allocated() / 1e6,
            heap.retained() / 1e6,
            heap.peakAboveBaseline() / 1e6));
    Timing closeT =
        time(
            "close",
            warmupSeconds,
            iterations,
            () -> unchecked(this::deleteClosed),
            () -> {
              StatementClose c = billing.statements().close(closeRequest);
              if (c.count(StatementClose.Outcome.CLOSED) != 1) {
                throw new AssertionError("the close stored " + c.entries());
              }
            });
    Statement closed = open.get();
    if (closed.status() != Statement.Status.CLOSED
        || !closed.lines().equals(built.lines())
        || !closed.usage().equals(built.usage())
        || closed.transactions() != built.transactions()) {
      throw new AssertionError("the closed statement differs from the open one it was built as");
    }
    Timing readT = time("read closed", warmupSeconds, iterations, () -> {}, open::get);
    long documentBytes =
        count(
            "SELECT octet_length(document) FROM "
                + prefix
                + "closed_statements WHERE tenant = '"
                + TENANT.value()
                + "'");
    deleteClosed(); // the next run measures the open month again

    String sizes =
        String.format(
            Locale.ROOT,
            "%,d usage events stored; the statement holds %,d ledger transactions, %d lines and"
                + " %,d usage cells (from %,d rated lines)",
            storedEvents,
            built.transactions(),
            built.lines().size(),
            built.usage().size(),
            ratedLines);
    String dataset =
        String.format(
            Locale.ROOT,
            "Dataset: one account (tenant %s), a RUNNING_TIME meter (12 credits a machine-hour)"
                + " with dimensions instance (%d machines), pool, type, region; a heartbeat every %d"
                + " s per machine through %s (a third stop at night), ingested hour by hour through"
                + " metering().ingest; deduction interval %d minutes, deductions().run() ten"
                + " minutes after each hour on a bench clock (one posting per window); %s; %s",
            TENANT.value(),
            INSTANCES,
            Duration.between(MONTH_START, MONTH_END).toSeconds() / (events / INSTANCES),
            MONTH,
            intervalMinutes,
            sizes,
            how);
    report.add(
        new Row(
            "PostgreSQL statement",
            String.format(
                Locale.ROOT,
                "statement of one account's open month, %,d usage events (median)",
                storedEvents),
            Measurement.time(openT.median(), Double.NaN, "ms"),
            null,
            null,
            Target.none(),
            "statements().statement(tenant, account, "
                + MONTH
                + ", finance viewer): computed"
                + " from the ledger (transactions in pages of 1,000, rated lines summed in SQL by"
                + " meter, dimensions and hour). "
                + note(openT)
                + String.format(
                    Locale.ROOT,
                    ". One build allocates %.1f MB in the calling thread; the statement retains"
                        + " %.1f MB after GC; heap pools' summed peak %.1f MB above the post-GC"
                        + " baseline (includes garbage not yet collected). ",
                    heap.allocated() / 1e6,
                    heap.retained() / 1e6,
                    heap.peakAboveBaseline() / 1e6)
                + dataset));
    report.add(
        new Row(
            "PostgreSQL statement",
            "close the month (build + store), same account (median)",
            Measurement.time(closeT.median(), Double.NaN, "ms"),
            null,
            null,
            Target.none(),
            "statements().close(tenant, "
                + MONTH
                + ") with the tenant's one account: builds the statement and stores it as a"
                + " JSON document; before each call (not timed) the stored row is deleted. "
                + note(closeT)
                + String.format(Locale.ROOT, "; stored document %,d bytes", documentBytes)));
    report.add(
        new Row(
            "PostgreSQL statement",
            "read the closed statement, same account (median)",
            Measurement.time(readT.median(), Double.NaN, "ms"),
            null,
            null,
            Target.none(),
            "statements().statement(..) once the month is closed: the stored document read and"
                + " parsed. "
                + note(readT)));
  }

  private static String note(Timing t) {
    return String.format(
        Locale.ROOT,
        "Median of %d calls after %.0f s of warm-up (%d calls); p95 %s ms, min %s, max %s",
        t.ms().length,
        t.warmupSeconds(),
        t.warmups(),
        fmt(t.p95()),
        fmt(t.min()),
        fmt(t.max()));
  }

  private static String fmt(double ms) {
    return String.format(Locale.ROOT, "%,.1f", ms);
  }

  /** Throws unless the statement is consistent with itself and with the account's usage. */
  private static void check(Statement s) {
    Amount usageLine = Amount.zero(CREDITS);
    for (StatementLine l : s.lines(StatementLine.Section.USAGE)) {
      usageLine = usageLine.plus(l.amount());
    }
    Amount cells = Amount.zero(CREDITS);
    for (UsageCell c : s.usage()) {
      cells = cells.plus(c.credits());
    }
    if (!usageLine.equals(cells) || s.usage().isEmpty()) {
      throw new AssertionError(
          "statement: usage line " + usageLine + " but the usage cells sum to " + cells);
    }
    if (!s.runningMeters().containsKey(METER) || s.runningUsage().size() != INSTANCES) {
      throw new AssertionError(
          "statement: expected one machine-usage row per machine, got " + s.runningUsage().size());
    }
  }

  /** A clock the seeding sets hour by hour (the library never reads the wall clock). */
  static final class BenchClock extends Clock {
    private volatile Instant now;

    BenchClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      this.now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the bench clock is UTC only");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
