package dev.billingsdk.bench.db;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.jdbc.Dialect;
import dev.billingsdk.jdbc.JdbcBillingStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.money.Amount;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.RatedLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The monthly usage summary over a month of usage events, against hand-written GROUP BY queries.
 *
 * <p>The dataset: {@code events} usage events in October 2026 for tenant {@code bench-sum}, over
 * {@value #ACCOUNTS} accounts and two meters ({@code llm-tokens}: SUM, priced per model and
 * direction, dimensions model, direction and user; {@code api-calls}: COUNT, dimensions endpoint
 * and region), ingested through {@code metering().ingest} in batches of {@value #BATCH} (one
 * account per batch, the accounts split over several threads so their cursors never contend), then
 * rated by {@code deductions().run()} with a daily interval on a clock fixed at 2026-11-01T00:30Z.
 * It lives under the prefix {@code benchsum<events>_} and is kept between runs when a marker table
 * says it is complete and the counts agree.
 */
final class Summary {
  /** The table prefix of a dataset of {@code events} events: one dataset per size. */
  static String prefix(long events) {
    return "benchsum" + events + "_";
  }

  static final TenantId TENANT = TenantId.of("bench-sum");
  static final int ACCOUNTS = 20;
  static final int BATCH = 5_000;
  static final int YEAR = 2026;
  static final int MONTH = 10;
  static final Instant MONTH_START = Instant.parse("2026-10-01T00:00:00Z");
  static final Instant MONTH_END = Instant.parse("2026-11-01T00:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-01T00:30:00Z");

  /**
   * The load analyzes usage_events each time the table has doubled, from {@value #ANALYZE_FIRST}
   * events on. Without it PostgreSQL plans the library's dedup lookup ({@code event_id IN (500
   * parameters)}, a server-prepared statement) on the fresh table's missing statistics and scans
   * the table for every chunk: the load fell to a few hundred events/s at 140,000 stored, and
   * recovered to ~20,000/s at once after one ANALYZE.
   */
  static final long ANALYZE_FIRST = 10_000;

  /**
   * Whether the count passed {@code ANALYZE_FIRST × 2^k} going from {@code before} to {@code n}.
   */
  static boolean analyzeAt(long before, long n) {
    for (long at = ANALYZE_FIRST; at <= n; at *= 2) {
      if (before < at) {
        return true;
      }
    }
    return false;
  }

  private static final String[] MODELS = {"gpt-4o", "claude", "mini"};
  private static final String[] DIRECTIONS = {"input", "output"};
  private static final String[] ENDPOINTS = {"chat", "embed", "image", "audio"};
  private static final String[] REGIONS = {"eu", "us", "ap"};

  private final Database db;
  private final long events;
  final String prefix;
  private final Billing billing;
  private final JdbcBillingStore store;

  Summary(Database db, long events) {
    this.db = db;
    this.events = events;
    this.prefix = prefix(events);
    this.store = db.store(prefix);
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(
                "llm-tokens",
                MeterPrice.in(Ledger.CREDITS)
                    .when(
                        Map.of("model", "gpt-4o", "direction", "input"),
                        PriceModel.perUnit("0.0025"))
                    .when(
                        Map.of("model", "gpt-4o", "direction", "output"),
                        PriceModel.perUnit("0.01"))
                    .when(
                        Map.of("model", "claude", "direction", "input"),
                        PriceModel.perUnit("0.003"))
                    .when(
                        Map.of("model", "claude", "direction", "output"),
                        PriceModel.perUnit("0.015"))
                    .otherwise(PriceModel.perUnit("0.0001"))
                    .build())
            .meter("api-calls", MeterPrice.of(Ledger.CREDITS, PriceModel.perUnit("0.01")))
            .build();
    this.billing =
        Billing.builder()
            .store(store)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .metering(
                MeteringSettings.of(prices, Duration.ofDays(1))
                    .withLateArrival(Duration.ofDays(40)))
            .build();
  }

  static AccountId account(int i) {
    return AccountId.of(String.format(java.util.Locale.ROOT, "sum-%02d", i));
  }

  /**
   * Makes sure the dataset is there and rated: keeps it if the marker says it is complete with
   * {@code events} events and the tables agree, otherwise drops it and loads it again.
   *
   * @return how the dataset came to be, for the row note
   */
  String prepare(int threads) throws Exception {
    if (complete()) {
      return "kept from an earlier run (verified: marker, "
          + events
          + " events stored, every cursor rated)";
    }
    db.execute("DROP TABLE IF EXISTS " + prefix + "meta");
    db.dropStore(prefix);
    db.store(prefix); // applies the schema again
    long start = System.nanoTime();
    for (int a = 0; a < ACCOUNTS; a++) {
      AccountId id = account(a);
      billing
          .credits()
          .openAccount(
              OpenAccountRequest.builder(TENANT, id, Ledger.CREDITS).actor(Ledger.ADMIN).build());
      billing
          .credits()
          .grant(
              GrantRequest.builder(TENANT, id, Amount.of(Ledger.CREDITS, "1000000000"))
                  .idempotencyKey(IdempotencyKey.of(id.value() + "-grant"))
                  .actor(Ledger.ADMIN)
                  .reason("bench setup")
                  .build());
    }
    billing
        .metering()
        .defineMeter(
            Meter.builder(TENANT, "llm-tokens", Aggregation.SUM)
                .unit("tokens")
                .dimensions("model", "direction", "user")
                .build(),
            Ledger.ADMIN);
    billing
        .metering()
        .defineMeter(
            Meter.builder(TENANT, "api-calls", Aggregation.COUNT)
                .unit("calls")
                .dimensions("endpoint", "region")
                .build(),
            Ledger.ADMIN);
    long perAccount = events / ACCOUNTS;
    java.util.concurrent.atomic.AtomicLong ingested = new java.util.concurrent.atomic.AtomicLong();
    double ingestSeconds =
        Ingest.parallel(
            threads,
            t -> {
              for (int a = t; a < ACCOUNTS; a += threads) {
                for (long from = 0; from < perAccount; from += BATCH) {
                  List<UsageEvent> batch = batch(a, from, Math.min(perAccount, from + BATCH));
                  billing.metering().ingest(batch, Ledger.GATEWAY);
                  long n = ingested.addAndGet(batch.size());
                  if (analyzeAt(n - batch.size(), n)) {
                    // Fresh statistics as the table grows: see ANALYZE_FIRST.
                    analyze("usage_events");
                  }
                }
                Load.log("summary dataset: account " + a + " ingested");
              }
            });
    Load.log(
        "summary dataset: "
            + events
            + " events ingested in "
            + Load.f(ingestSeconds)
            + " s; rating");
    long rateStart = System.nanoTime();
    DeductionReport report = billing.deductions().run();
    if (!report.failures().isEmpty()) {
      throw new IllegalStateException("the deduction failed: " + report.failures());
    }
    double rateSeconds = (System.nanoTime() - rateStart) / 1e9;
    Load.log(
        "summary dataset: rated in "
            + Load.f(rateSeconds)
            + " s ("
            + report.postings().size()
            + " postings)");
    db.execute(
        "CREATE TABLE " + prefix + "meta (events BIGINT NOT NULL)",
        "INSERT INTO " + prefix + "meta (events) VALUES (" + events + ")");
    if (!complete()) {
      throw new IllegalStateException("the summary dataset is incomplete after loading it");
    }
    return String.format(
        java.util.Locale.ROOT,
        "loaded in this run through the library: ingest %.0f s (%d threads, batches of %d, one"
            + " account per batch, ANALYZE at %,d events and each doubling; %.0f events/s), rating"
            + " %.0f s (%d"
            + " daily postings); total %.0f s",
        ingestSeconds,
        threads,
        BATCH,
        ANALYZE_FIRST,
        events / ingestSeconds,
        rateSeconds,
        report.postings().size(),
        (System.nanoTime() - start) / 1e9);
  }

  private UsageEvent event(int a, long k, SplittableRandom r) {
    Instant at =
        MONTH_START.plusMillis(r.nextLong(Duration.between(MONTH_START, MONTH_END).toMillis()));
    String id = "a" + a + "-" + k;
    if (r.nextInt(4) == 0) {
      return UsageEvent.builder(TENANT, account(a), "api-calls")
          .id(id)
          .quantity(BigDecimal.ONE)
          .occurredAt(at)
          .dimensions(
              Map.of(
                  "endpoint", ENDPOINTS[r.nextInt(ENDPOINTS.length)],
                  "region", REGIONS[r.nextInt(REGIONS.length)]))
          .build();
    }
    return UsageEvent.builder(TENANT, account(a), "llm-tokens")
        .id(id)
        .quantity(BigDecimal.valueOf(r.nextInt(1, 4_000)))
        .occurredAt(at)
        .dimensions(
            Map.of(
                "model", MODELS[r.nextInt(MODELS.length)],
                "direction", DIRECTIONS[r.nextInt(DIRECTIONS.length)],
                "user", "u" + r.nextInt(10)))
        .build();
  }

  private List<UsageEvent> batch(int a, long from, long to) {
    SplittableRandom r = new SplittableRandom(a * 1_000_003L + from);
    List<UsageEvent> batch = new ArrayList<>((int) (to - from));
    for (long k = from; k < to; k++) {
      batch.add(event(a, k, r));
    }
    return batch;
  }

  private boolean complete() throws SQLException {
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      long marked;
      try (ResultSet rs = s.executeQuery("SELECT events FROM " + prefix + "meta")) {
        if (!rs.next()) {
          return false;
        }
        marked = rs.getLong(1);
      } catch (SQLException e) {
        return false; // no marker table
      }
      if (marked != events) {
        return false;
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
        return rs.getLong(1) == (events / ACCOUNTS) * ACCOUNTS
            && rs.getLong(2) == 0
            && rs.getLong(3) > 0;
      }
    }
  }

  /** Fresh planner statistics on the dataset's tables (as a DBA or autovacuum would keep). */
  void analyze() throws SQLException {
    analyze("rated_lines");
    analyze("usage_events");
  }

  private void analyze(String table) throws SQLException {
    analyze(db, prefix + table);
  }

  static void analyze(Database db, String table) throws SQLException {
    db.execute((db.dialect == Dialect.POSTGRESQL ? "ANALYZE " : "ANALYZE TABLE ") + table);
  }

  long storedEvents() {
    return (events / ACCOUNTS) * ACCOUNTS;
  }

  /** Ours: the library's monthly summary of the tenant's month. */
  List<UsageSummaryRow> ours() {
    return billing.metering().monthlySummaries(UsageSummaryQuery.of(TENANT).month(YEAR, MONTH));
  }

  /** A hand-written row: account, meter, dimension key, quantity, credits. */
  record Hand(String account, String meter, String key, BigDecimal quantity, long credits) {}

  /** The hand-written GROUP BY over the same table ours reads (rated_lines), same rows. */
  List<Hand> handWritten() throws SQLException {
    List<Hand> rows = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT account, meter, dimension_key, SUM(quantity), SUM(credits) FROM "
                    + prefix
                    + "rated_lines WHERE tenant = ? AND period_year = ? AND period_month = ?"
                    + " GROUP BY account, meter, dimension_key"
                    + " ORDER BY account, meter, dimension_key")) {
      s.setString(1, TENANT.value());
      s.setInt(2, YEAR);
      s.setInt(3, MONTH);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Hand(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getBigDecimal(4),
                  rs.getLong(5)));
        }
      }
    }
    return rows;
  }

  /** Context: a GROUP BY over the raw usage events of the month (quantity sum and event count). */
  List<Object[]> rawGroupBy() throws SQLException {
    String dims = db.dialect == Dialect.H2 ? "CAST(dimensions AS VARCHAR(4000))" : "dimensions";
    List<Object[]> rows = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT account, meter, "
                    + dims
                    + ", SUM(quantity), COUNT(*) FROM "
                    + prefix
                    + "usage_events WHERE tenant = ? AND occurred_at >= ? AND occurred_at < ?"
                    + " GROUP BY account, meter, "
                    + dims)) {
      s.setString(1, TENANT.value());
      if (db.dialect == Dialect.MARIADB) {
        s.setObject(2, LocalDateTime.ofInstant(MONTH_START, ZoneOffset.UTC));
        s.setObject(3, LocalDateTime.ofInstant(MONTH_END, ZoneOffset.UTC));
      } else {
        s.setObject(2, OffsetDateTime.ofInstant(MONTH_START, ZoneOffset.UTC));
        s.setObject(3, OffsetDateTime.ofInstant(MONTH_END, ZoneOffset.UTC));
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Object[] {
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getBigDecimal(4),
                rs.getLong(5)
              });
        }
      }
    }
    return rows;
  }

  /**
   * Throws unless ours and the hand-written query give the same rows with the same totals, and the
   * totals match the raw events (quantity for the SUM meter, event count for the COUNT meter).
   */
  static void check(List<UsageSummaryRow> ours, List<Hand> hand, List<Object[]> raw) {
    if (ours.size() != hand.size()) {
      throw new AssertionError(
          "summary: ours has " + ours.size() + " rows, the hand-written GROUP BY " + hand.size());
    }
    Map<String, Hand> byKey = new TreeMap<>();
    for (Hand h : hand) {
      byKey.put(h.account() + "|" + h.meter() + "|" + h.key(), h);
    }
    Map<String, BigDecimal> oursPerMeter = new TreeMap<>();
    for (UsageSummaryRow r : ours) {
      String k =
          r.account().value() + "|" + r.meter() + "|" + RatedLine.dimensionKey(r.dimensions());
      Hand h = byKey.get(k);
      if (h == null
          || h.quantity().compareTo(r.quantity()) != 0
          || h.credits() != r.credits().minor()) {
        throw new AssertionError("summary row " + k + ": ours " + r + ", hand-written " + h);
      }
      oursPerMeter.merge(r.meter(), r.quantity(), BigDecimal::add);
    }
    Map<String, BigDecimal> rawPerMeter = new TreeMap<>();
    for (Object[] row : raw) {
      String meter = (String) row[1];
      BigDecimal q =
          meter.equals("api-calls") ? BigDecimal.valueOf((Long) row[4]) : (BigDecimal) row[3];
      rawPerMeter.merge(meter, q, BigDecimal::add);
    }
    if (!rawPerMeter.keySet().equals(oursPerMeter.keySet())) {
      throw new AssertionError(
          "summary: ours has meters "
              + oursPerMeter.keySet()
              + ", the raw events "
              + rawPerMeter.keySet());
    }
    for (Map.Entry<String, BigDecimal> e : rawPerMeter.entrySet()) {
      BigDecimal mine = oursPerMeter.getOrDefault(e.getKey(), BigDecimal.ZERO);
      if (mine.compareTo(e.getValue()) != 0) {
        throw new AssertionError(
            "summary: meter "
                + e.getKey()
                + " totals "
                + mine
                + " but the raw events total "
                + e.getValue());
      }
    }
  }
}
