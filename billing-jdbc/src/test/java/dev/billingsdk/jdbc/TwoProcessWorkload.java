package dev.billingsdk.jdbc;

import static dev.billingsdk.tck.TckFixture.credits;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.metering.IngestResult;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.tck.TckFixture;
import dev.billingsdk.testkit.TestClock;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The workload two processes run at once on the same tables, for {@link
 * AbstractTwoProcessConcurrencyTest}: the test JVM runs it as side {@code parent}, {@link
 * SecondWriterProcess} as side {@code child}. Each side, on one thread, interleaves charges on a
 * hot account and on accounts spread wide, reserve-then-settle on a reservation account, and usage
 * ingest. Half of each operation's idempotency keys (and reservations, and event ids) are shared
 * with the other side, built as identical requests, so the two processes race on the same keys; the
 * other half are the side's own.
 *
 * <p>Every answer is an {@link Answer}, which the child prints on its stdout as one line ({@link
 * #line}) and the parent reads back ({@link #parse}).
 */
final class TwoProcessWorkload {
  private TwoProcessWorkload() {}

  static final String PARENT = "parent";
  static final String CHILD = "child";

  /** The prefix of a result line on the child's stdout (logging goes to stderr). */
  static final String LINE = "TWOJVM|";

  static final String READY = "TWOJVM-READY";
  static final String DONE = "TWOJVM-DONE";
  static final String GO = "GO";

  /** The environment variable that gives the child its JDBC URL. */
  static final String URL_VARIABLE = "BILLING_TWO_JVM_URL";

  static final long PRICE = 5;
  static final AccountId HOT = AccountId.of("hot");
  static final long HOT_GRANT_1 = 2_000;
  static final long HOT_GRANT_2 = 1_000;
  static final int HOT_CHARGES = 500;

  static final int SPREAD_ACCOUNTS = 20;
  static final long SPREAD_GRANT = 60;
  static final int SPREAD_CHARGES = 300;

  static final AccountId RES = AccountId.of("res");
  static final long RES_GRANT = 100_000;
  static final int RESERVATIONS = 100;
  static final long HELD = 50;
  static final long ACTUAL = 30;

  static final String METER = "tokens";
  static final int USAGE_ACCOUNTS = 2;
  static final int EVENTS = 400;

  /** Side parent sends event ids [0, PARENT_EVENTS_TO); side child [CHILD_EVENTS_FROM, EVENTS). */
  static final int PARENT_EVENTS_TO = 300;

  static final int CHILD_EVENTS_FROM = 100;
  static final int INGEST_BATCH = 10;

  static AccountId spread(int i) {
    return AccountId.of("spread-" + i);
  }

  static AccountId usage(int i) {
    return AccountId.of("usage-" + i);
  }

  /** What one request got. {@code result} is committed, replayed, refused, inserted, duplicate. */
  record Answer(
      String side,
      String op,
      String key,
      String subject,
      String result,
      String transaction,
      String reservation) {}

  static String line(Answer a) {
    return LINE
        + String.join(
            "|",
            a.side(),
            a.op(),
            a.key(),
            a.subject(),
            a.result(),
            a.transaction(),
            a.reservation());
  }

  static Answer parse(String line) {
    String[] p = line.substring(LINE.length()).split("\\|", -1);
    if (p.length != 7) {
      throw new IllegalArgumentException("not a result line: " + line);
    }
    return new Answer(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
  }

  // ---------------------------------------------------------------- building it the tests' way

  /** A pool on {@code url}, as {@link TestDatabases#pool} builds one. */
  static HikariDataSource pool(String url, String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setPoolName("billing-two-jvm-" + name);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  static JdbcBillingStore store(DataSource ds, Dialect dialect, String prefix, boolean schema) {
    return JdbcBillingStore.builder(ds)
        .dialect(dialect)
        .tablePrefix(prefix)
        .applySchema(schema)
        .build();
  }

  /** A {@link Billing} as the concurrency suites build one, with metering on the one meter. */
  static Billing billing(JdbcBillingStore store) {
    return Billing.builder()
        .store(store)
        .clock(new TestClock(TckFixture.START))
        .ids(IdGenerator.randomUuids())
        .accessPolicy(AccessPolicy.allowAll())
        .maxAttempts(10_000)
        .metering(
            MeteringSettings.of(
                PriceBook.builder(RoundingMode.HALF_EVEN)
                    .meter(METER, MeterPrice.of(TckFixture.CREDIT, PriceModel.perUnit("1")))
                    .build(),
                Duration.ofHours(1)))
        .build();
  }

  // ---------------------------------------------------------------- the workload

  /**
   * Runs side {@code side}'s workload through {@code billing} on {@code tenant}, giving each answer
   * to {@code out} as it comes. Only a refusal for want of credit is an expected exception; any
   * other escapes.
   */
  static void run(Billing billing, TenantId tenant, String side, Consumer<Answer> out) {
    Random random = new Random(side.equals(PARENT) ? 11 : 23);
    List<List<UsageEvent>> batches = ingestBatches(tenant, side);
    int steps = Math.max(Math.max(HOT_CHARGES, SPREAD_CHARGES), batches.size());
    steps = Math.max(steps, RESERVATIONS * 5);
    for (int s = 0; s < steps; s++) {
      if (s < HOT_CHARGES) {
        String key = s % 2 == 0 ? "hot-shared-" + s : "hot-" + side + "-" + s;
        out.accept(charge(billing, tenant, side, HOT, key));
      }
      if (s < SPREAD_CHARGES) {
        // A shared key names the same account on both sides (the same request); an own key goes
        // to an account of the side's own random choice.
        int account = random.nextInt(SPREAD_ACCOUNTS);
        String key;
        if (s % 2 == 0) {
          key = "spread-shared-" + s;
          account = (s * 7) % SPREAD_ACCOUNTS;
        } else {
          key = "spread-" + side + "-" + s;
        }
        out.accept(charge(billing, tenant, side, spread(account), key));
      }
      if (s % 5 == 0 && s / 5 < RESERVATIONS) {
        reserveAndSettle(billing, tenant, side, s / 5, out);
      }
      if (s < batches.size()) {
        ingest(billing, side, batches.get(s), out);
      }
    }
  }

  private static Answer charge(
      Billing billing, TenantId tenant, String side, AccountId account, String key) {
    ChargeRequest request =
        ChargeRequest.builder(tenant, account, Charge.usage("tokens", credits(PRICE)))
            .idempotencyKey(IdempotencyKey.of(key))
            .actor(TckFixture.ADMIN)
            .reason("two processes")
            .build();
    try {
      ChargeResult r = billing.credits().charge(request);
      if (r.charged().minor() != PRICE || !r.fromOverdraft().isZero()) {
        throw new IllegalStateException(key + " was not paid in full from grants: " + r);
      }
      return new Answer(
          side,
          "charge",
          key,
          account.value(),
          r.replayed() ? "replayed" : "committed",
          r.transaction().id().value(),
          "-");
    } catch (InsufficientCreditException e) {
      return new Answer(side, "charge", key, account.value(), "refused", "-", "-");
    }
  }

  /**
   * Reservation {@code i}: even ones are shared (the same reserve key on both sides), odd ones the
   * side's own. A shared reservation is settled by both sides with the same amount: for {@code i %
   * 4 == 0} under one shared settle key, for {@code i % 4 == 2} under a key of each side's own (a
   * second settlement with the same amount returns the first).
   */
  private static void reserveAndSettle(
      Billing billing, TenantId tenant, String side, int i, Consumer<Answer> out) {
    boolean shared = i % 2 == 0;
    String key = shared ? "res-shared-" + i : "res-" + side + "-" + i;
    ReserveRequest reserve =
        ReserveRequest.builder(tenant, RES, Charge.usage("tokens", credits(HELD)))
            .timeToLive(TckFixture.TTL)
            .idempotencyKey(IdempotencyKey.of(key))
            .actor(TckFixture.ADMIN)
            .reason("two processes hold")
            .build();
    ReservationResult held = billing.reservations().reserve(reserve);
    ReservationId id = held.reservation().id();
    out.accept(
        new Answer(
            side,
            "reserve",
            key,
            RES.value(),
            held.replayed() ? "replayed" : "committed",
            held.transaction().id().value(),
            id.value()));
    String settleKey = shared && i % 4 == 0 ? "settle-shared-" + i : "settle-" + side + "-" + i;
    SettleRequest settle =
        SettleRequest.builder(tenant, id, credits(ACTUAL))
            .idempotencyKey(IdempotencyKey.of(settleKey))
            .actor(TckFixture.ADMIN)
            .reason("two processes settle")
            .build();
    SettlementResult s = billing.reservations().settle(settle);
    if (s.charged().minor() != ACTUAL || s.released().minor() != HELD - ACTUAL) {
      throw new IllegalStateException(settleKey + " settled wrong: " + s);
    }
    out.accept(
        new Answer(
            side,
            "settle",
            settleKey,
            RES.value(),
            s.replayed() ? "replayed" : "committed",
            s.transaction().id().value(),
            s.reservation().id().value()));
  }

  private static void ingest(
      Billing billing, String side, List<UsageEvent> batch, Consumer<Answer> out) {
    List<IngestResult> results = billing.metering().ingest(batch, TckFixture.ADMIN);
    if (results.size() != batch.size()) {
      throw new IllegalStateException(results.size() + " results for " + batch.size() + " events");
    }
    for (int i = 0; i < batch.size(); i++) {
      UsageEvent e = batch.get(i);
      IngestResult r = results.get(i);
      if (!r.id().equals(e.id())) {
        throw new IllegalStateException("result " + i + " names " + r.id() + ", not " + e.id());
      }
      out.accept(
          new Answer(
              side,
              "ingest",
              e.id(),
              e.account().value(),
              r.duplicate() ? "duplicate" : "inserted",
              "-",
              "-"));
    }
  }

  /**
   * The side's ingest batches: its range of ids in an order of its own, then every seventh of them
   * again (a client resending), in batches of {@link #INGEST_BATCH} without a repeat inside one.
   */
  static List<List<UsageEvent>> ingestBatches(TenantId tenant, String side) {
    int from = side.equals(PARENT) ? 0 : CHILD_EVENTS_FROM;
    int to = side.equals(PARENT) ? PARENT_EVENTS_TO : EVENTS;
    List<Integer> ids = new ArrayList<>();
    for (int k = from; k < to; k++) {
      ids.add(k);
    }
    Collections.shuffle(ids, new Random(side.equals(PARENT) ? 31 : 37));
    List<Integer> order = new ArrayList<>(ids);
    for (int k = from; k < to; k += 7) {
      order.add(k);
    }
    List<List<UsageEvent>> batches = new ArrayList<>();
    for (int at = 0; at < order.size(); at += INGEST_BATCH) {
      List<UsageEvent> batch = new ArrayList<>();
      for (int k : order.subList(at, Math.min(order.size(), at + INGEST_BATCH))) {
        batch.add(event(tenant, k));
      }
      batches.add(batch);
    }
    return batches;
  }

  /** Event {@code k}: the same payload whichever side sends it. */
  static UsageEvent event(TenantId tenant, int k) {
    return UsageEvent.builder(tenant, usage(k % USAGE_ACCOUNTS), METER)
        .id("ev-" + k)
        .quantity(BigDecimal.valueOf(k % 5 + 1).movePointLeft(k % 3))
        .occurredAt(TckFixture.START.minusSeconds(60 + (k * 13L) % 3_000))
        .dimensions(Map.of())
        .build();
  }

  static Instant far() {
    return Instant.parse("2200-01-01T00:00:00Z");
  }

  /** Per-result counts of each operation, one line each: {@code op committed=.. replayed=..}. */
  static void printSummary(String side, List<Answer> answers, PrintStream out) {
    Map<String, Map<String, Integer>> counts = new TreeMap<>();
    for (Answer a : answers) {
      counts.computeIfAbsent(a.op(), o -> new TreeMap<>()).merge(a.result(), 1, Integer::sum);
    }
    counts.forEach((op, c) -> out.println("TWOJVM-SUMMARY " + side + " " + op + " " + c));
  }
}
