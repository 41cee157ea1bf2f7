package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.MeteringStore.UsagePosition;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import dev.billingsdk.tck.TckFixture;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the JDBC metering store does beyond the kit: input it refuses (typed, writing nothing),
 * instants finer than a microsecond (the reads select what the in-memory store selects), dimension
 * values longer than a database compares when it sorts, and text the columns must keep exactly. One
 * subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractMeteringStoreTest {
  private static final String PREFIX = "mst_";
  private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");
  private static final Instant FAR = Instant.parse("2200-01-01T00:00:00Z");
  private static final AtomicInteger TENANTS = new AtomicInteger();

  private JdbcBillingStore store;
  private TenantId tenant;
  private final AccountId a = AccountId.of("acct");

  protected abstract Db db();

  @BeforeAll
  void freshTables() {
    TestDatabases.assumeAvailable(db());
    store = TestDatabases.freshStore(db(), PREFIX);
  }

  @BeforeEach
  void newTenant() {
    tenant = TenantId.of("mst-" + TENANTS.incrementAndGet());
  }

  private StoredUsageEvent event(String id, String quantity, Instant at) {
    return event(id, quantity, at, Map.of());
  }

  private StoredUsageEvent event(
      String id, String quantity, Instant at, Map<String, String> dimensions) {
    UsageEvent e =
        UsageEvent.builder(tenant, a, "m1")
            .id(id)
            .quantity(new BigDecimal(quantity))
            .occurredAt(at)
            .dimensions(dimensions)
            .build();
    return StoredUsageEvent.unsequenced(e, "fp-" + id + "-" + quantity, T0);
  }

  private RatedLine line(long version, int number, String quantity, long credits) {
    return line(version, number, quantity, credits, Map.of());
  }

  private RatedLine line(
      long version, int number, String quantity, long credits, Map<String, String> dimensions) {
    return new RatedLine(
        tenant,
        a,
        "m1",
        version,
        number,
        T0,
        T0.plusSeconds(3_600),
        YearMonth.of(2026, 1),
        dimensions,
        new BigDecimal(quantity),
        TckFixture.credits(credits),
        Optional.empty());
  }

  private RatingCursor cursor() {
    return store.findRatingCursor(tenant, a, "m1").orElseThrow();
  }

  // ---------------------------------------------------------------- refused input

  @Test
  void aStepWhoseLinesAreNotItsOwnOrDoNotFitIsRefusedByFieldAndWritesNothing() {
    store.ingest(List.of(event("e1", "1", T0)));
    RatingCursor before = cursor();
    RatingCursor next = before.advanced(T0.plusSeconds(3_600), 1, "state");
    RatedLine otherAccount =
        new RatedLine(
            tenant,
            AccountId.of("other"),
            "m1",
            1,
            0,
            T0,
            T0.plusSeconds(1),
            YearMonth.of(2026, 1),
            Map.of(),
            BigDecimal.ONE,
            TckFixture.credits(1),
            Optional.empty());
    RatedLine withNul =
        new RatedLine(
            tenant,
            a,
            "m1",
            1,
            0,
            T0,
            T0.plusSeconds(1),
            YearMonth.of(2026, 1),
            Map.of(),
            BigDecimal.ONE,
            TckFixture.credits(1),
            Optional.of("posting\u0000key"));
    Map<String, List<RatedLine>> refused = new TreeMap<>();
    refused.put("lines", List.of(otherAccount));
    refused.put("cursorVersion", List.of(line(2, 0, "1", 1)));
    refused.put("lineNumber", List.of(line(1, 0, "1", 1), line(1, 0, "2", 2)));
    refused.put("quantity", List.of(line(1, 0, "0.0000000000001", 1)));
    refused.put("posting", List.of(withNul));
    for (Map.Entry<String, List<RatedLine>> r : refused.entrySet()) {
      assertThatThrownBy(() -> store.advanceRatingCursor(next, r.getValue()))
          .as("lines refused by %s", r.getKey())
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(r.getKey()));
    }
    assertThatThrownBy(
            () ->
                store.advanceRatingCursor(
                    next, List.of(line(1, 0, "1" + "0".repeat(38) + ".5", 1))))
        .as("a quantity of 39 integer digits")
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("quantity"));
    assertThat(cursor()).as("nothing moved").isEqualTo(before);
    assertThat(store.ratedLines(tenant, a, "m1", 1)).isEmpty();
    assertThat(store.advanceRatingCursor(next, List.of(line(1, 0, "2.500", 3)))).isTrue();
    assertThat(store.ratedLines(tenant, a, "m1", 1))
        .as("trailing zeros are not part of a quantity")
        .containsExactly(line(1, 0, "2.5", 3));
  }

  @Test
  void aPageWithOneStepWhoseLinesDoNotFitIsRefusedByFieldAndWritesNothingOfThePage() {
    UsageEvent other =
        UsageEvent.builder(tenant, a, "m2")
            .id("o1")
            .quantity(BigDecimal.ONE)
            .occurredAt(T0)
            .build();
    store.ingest(List.of(event("e1", "1", T0), StoredUsageEvent.unsequenced(other, "fp-o1", T0)));
    RatingCursor first = cursor();
    RatingCursor second = store.findRatingCursor(tenant, a, "m2").orElseThrow();
    RatedLine tooFine =
        new RatedLine(
            tenant,
            a,
            "m2",
            1,
            0,
            T0,
            T0.plusSeconds(3_600),
            YearMonth.of(2026, 1),
            Map.of(),
            new BigDecimal("0.0000000000001"),
            TckFixture.credits(1),
            Optional.empty());
    List<MeteringStore.CursorStep> page =
        List.of(
            new MeteringStore.CursorStep(
                first.advanced(T0.plusSeconds(3_600), 1, "fits"), List.of(line(1, 0, "1", 1))),
            new MeteringStore.CursorStep(
                second.advanced(T0.plusSeconds(3_600), 1, "too fine"), List.of(tooFine)));
    assertThatThrownBy(() -> store.advanceRatingCursors(page))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("quantity"));
    assertThat(cursor()).as("the step before the bad one wrote nothing").isEqualTo(first);
    assertThat(store.findRatingCursor(tenant, a, "m2")).contains(second);
    assertThat(store.ratedLines(tenant, a, "m1", 1)).isEmpty();
  }

  @Test
  void badArgumentsToIngestAndTheReadsAreRefusedByField() {
    assertThatThrownBy(() -> store.ingest(null))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("events"));
    assertThatThrownBy(() -> store.ingest(Arrays.asList(event("e1", "1", T0), null)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("events"));
    StoredUsageEvent e = event("e1", "1", T0);
    assertThatThrownBy(
            () ->
                store.ingest(
                    List.of(StoredUsageEvent.unsequenced(e.event(), "finger\u0000print", T0))))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, x -> assertThat(x.field()).isEqualTo("fingerprint"));
    assertThat(store.ingest(List.of())).isEmpty();
    assertThat(store.findUsageEvent(tenant, "e1")).as("nothing stored").isEmpty();

    List<Function<Integer, List<?>>> paged =
        List.of(
            limit -> store.ratingCursors(Optional.empty(), limit),
            limit -> store.lateUsage(tenant, a, "m1", 0, 10, FAR, limit),
            limit -> store.windowUsage(tenant, a, "m1", T0, FAR, 10, Optional.empty(), limit));
    for (Function<Integer, List<?>> read : paged) {
      for (int limit : new int[] {0, -1}) {
        assertThatThrownBy(() -> read.apply(limit))
            .isInstanceOfSatisfying(
                InvalidRequestException.class, x -> assertThat(x.field()).isEqualTo("limit"));
      }
    }
    assertThatThrownBy(() -> store.findUsageEvent(null, "e1"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> store.findRatingCursor(tenant, null, "m1"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> store.usageSummary(null)).isInstanceOf(InvalidRequestException.class);
  }

  /**
   * An unpaired surrogate is text no column keeps (PostgreSQL refuses it, MariaDB and H2 would
   * store a '?'): refused by field wherever the store would write or look it up, and nothing is
   * stored. Paired surrogates (emoji) are kept, see {@link #stateAndDimensionTextIsKeptExactly}.
   */
  @Test
  void textWithAnUnpairedSurrogateIsRefusedByFieldAndNothingIsStored() {
    String lone = "half \ud83d of a pair";
    // Core's input contract refuses most of these while the request is built; either way the
    // refusal names the field and the store is never handed the text.
    Map<String, java.util.function.Supplier<StoredUsageEvent>> refused = new TreeMap<>();
    refused.put("dimensions.model", () -> event("e1", "1", T0, Map.of("model", lone)));
    refused.put(
        "account",
        () ->
            StoredUsageEvent.unsequenced(
                UsageEvent.builder(tenant, AccountId.of(lone), "m1")
                    .id("e1")
                    .quantity(BigDecimal.ONE)
                    .occurredAt(T0)
                    .build(),
                "fp",
                T0));
    refused.put("id", () -> event("e-\udc00", "1", T0));
    refused.put(
        "fingerprint",
        () -> StoredUsageEvent.unsequenced(event("e1", "1", T0).event(), "fp " + lone, T0));
    for (Map.Entry<String, java.util.function.Supplier<StoredUsageEvent>> r : refused.entrySet()) {
      assertThatThrownBy(() -> store.ingest(List.of(event("ok", "1", T0), r.getValue().get())))
          .as("refused by %s", r.getKey())
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(r.getKey()));
    }
    assertThat(store.findUsageEvent(tenant, "ok")).isEmpty();
    assertThat(store.findRatingCursor(tenant, a, "m1")).isEmpty();
    assertThatThrownBy(() -> store.findUsageEvent(tenant, lone))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("id"));

    store.ingest(List.of(event("ok", "1", T0)));
    RatingCursor before = cursor();
    assertThatThrownBy(
            () ->
                store.advanceRatingCursor(
                    before.advanced(T0.plusSeconds(60), 1, "{\"v\":\"" + lone + "\"}"), List.of()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("state"));
    assertThatThrownBy(
            () ->
                store.advanceRatingCursor(
                    before.advanced(T0.plusSeconds(60), 1, ""),
                    List.of(line(1, 0, "1", 1, Map.of("model", lone)))))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("dimensions.model"));
    assertThat(cursor()).isEqualTo(before);
    assertThat(store.ratedLines(tenant, a, "m1", 1)).isEmpty();
  }

  // ---------------------------------------------------------------- instants

  /**
   * Usage times are whole microseconds, but the bounds a caller passes need not be: every read
   * selects exactly what the in-memory store selects for bounds a few nanoseconds either side of
   * the events' times.
   */
  @Test
  void boundsFinerThanAMicrosecondSelectWhatTheInMemoryStoreSelects() {
    InMemoryBillingStore memory = InMemoryBillingStore.create();
    List<StoredUsageEvent> events = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      events.add(event("e" + i, "1", T0.plus(i / 2, ChronoUnit.MICROS)));
    }
    assertThat(ids(store.ingest(events))).isEqualTo(ids(memory.ingest(events)));
    List<Instant> bounds = new ArrayList<>();
    for (int micros = -1; micros <= 7; micros++) {
      for (long nanos : new long[] {-1, 0, 1, 500, 999}) {
        bounds.add(T0.plus(micros, ChronoUnit.MICROS).plusNanos(nanos));
      }
    }
    for (Instant from : bounds) {
      for (Instant to : bounds) {
        assertThat(eventIds(store.windowUsage(tenant, a, "m1", from, to, 99, Optional.empty(), 99)))
            .as("window [%s, %s)", from, to)
            .isEqualTo(
                eventIds(memory.windowUsage(tenant, a, "m1", from, to, 99, Optional.empty(), 99)));
      }
      assertThat(eventIds(store.lateUsage(tenant, a, "m1", 0, 99, from, 99)))
          .as("late, before %s", from)
          .isEqualTo(eventIds(memory.lateUsage(tenant, a, "m1", 0, 99, from, 99)));
      for (long sequence : new long[] {0, 3, 4, 12}) {
        Optional<UsagePosition> after = Optional.of(new UsagePosition(from, sequence));
        assertThat(eventIds(store.windowUsage(tenant, a, "m1", T0, FAR, 99, after, 99)))
            .as("after (%s, %d)", from, sequence)
            .isEqualTo(eventIds(memory.windowUsage(tenant, a, "m1", T0, FAR, 99, after, 99)));
      }
    }
  }

  /**
   * A watermark finer than a microsecond is kept rounded up to the next one: the window it closes
   * holds the same usage either way, and rounding down would move usage at its microsecond into the
   * next window, to be rated twice.
   */
  @Test
  void aWatermarkFinerThanAMicrosecondIsKeptRoundedUp() {
    store.ingest(List.of(event("e1", "1", T0)));
    Instant watermark = T0.plusNanos(1);
    assertThat(store.advanceRatingCursor(cursor().advanced(watermark, 1, ""), List.of())).isTrue();
    assertThat(cursor().ratedUntil()).isEqualTo(T0.plus(1, ChronoUnit.MICROS));
    assertThat(eventIds(store.lateUsage(tenant, a, "m1", 0, 1, watermark, 9)))
        .as("the event is before the watermark, exact or rounded")
        .containsExactly("e1");
    assertThat(
            store.windowUsage(tenant, a, "m1", cursor().ratedUntil(), FAR, 1, Optional.empty(), 9))
        .as("and not in the next window")
        .isEmpty();
  }

  // ---------------------------------------------------------------- long and awkward text

  /**
   * Sixteen dimensions of 128 characters make a dimension key of about 4,000 characters, longer
   * than MariaDB compares when it sorts long text (max_sort_length, 1,024 bytes): two keys that
   * differ only at their end are still two summary rows.
   */
  @Test
  void dimensionValuesThatDifferOnlyAtTheEndOfALongKeyAreSummedApart() {
    store.ingest(List.of(event("e1", "1", T0)));
    Map<String, String> left = new TreeMap<>();
    for (int d = 0; d < 16; d++) {
      left.put("dimension-" + (char) ('a' + d), "v".repeat(120) + "-" + d + "=;\\");
    }
    Map<String, String> right = new TreeMap<>(left);
    right.put("dimension-p", left.get("dimension-p").replace("=;\\", "=;/"));
    assertThat(RatedLine.dimensionKey(left)).hasSizeGreaterThan(2_000);
    RatingCursor next = cursor().advanced(T0.plusSeconds(3_600), 1, "");
    assertThat(
            store.advanceRatingCursor(
                next,
                List.of(
                    line(1, 0, "1.5", 10, left),
                    line(1, 1, "2", 20, right),
                    line(1, 2, "0.25", 5, left))))
        .isTrue();
    assertThat(store.usageSummary(UsageSummaryQuery.of(tenant)))
        .containsExactlyInAnyOrder(
            new UsageSummaryRow(
                tenant,
                a,
                2026,
                1,
                "m1",
                left,
                new BigDecimal("1.75"),
                TckFixture.credits(15),
                Optional.empty()),
            new UsageSummaryRow(
                tenant,
                a,
                2026,
                1,
                "m1",
                right,
                new BigDecimal("2"),
                TckFixture.credits(20),
                Optional.empty()));
    if (db() == Db.MARIADB) {
      // On a table this small MariaDB groups in a temporary table, which compares in full; with
      // more rows it may group by sorting instead. Forced to, it still keeps the two apart.
      assertThat(
              SchemaMigrationTest.query(
                  TestDatabases.pool(db(), "main", 16),
                  "SELECT SQL_BIG_RESULT "
                      + JdbcBillingStore.SUMMARY_GROUPS
                      + ", SUM(quantity), SUM(credits) FROM "
                      + PREFIX
                      + "rated_lines WHERE tenant = '"
                      + tenant.value()
                      + "' GROUP BY "
                      + JdbcBillingStore.SUMMARY_GROUPS))
          .as("rows grouped by sorting")
          .hasSize(2);
    }
  }

  /** Usage in a currency and in credits on one meter: a summary row per unit, never mixed. */
  @Test
  void linesInTwoUnitsAreSummedPerUnit() {
    store.ingest(List.of(event("e1", "1", T0)));
    CurrencyUnit usd = CurrencyUnit.of("USD");
    RatedLine dollars =
        new RatedLine(
            tenant,
            a,
            "m1",
            1,
            1,
            T0,
            T0.plusSeconds(60),
            YearMonth.of(2026, 1),
            Map.of(),
            BigDecimal.ONE,
            Amount.ofMinor(usd, 250),
            Optional.of("posting-1"));
    assertThat(
            store.advanceRatingCursor(
                cursor().advanced(T0.plusSeconds(60), 1, ""),
                List.of(line(1, 0, "3", 30), dollars)))
        .isTrue();
    assertThat(store.ratedLines(tenant, a, "m1", 1)).containsExactly(line(1, 0, "3", 30), dollars);
    assertThat(store.usageSummary(UsageSummaryQuery.of(tenant)))
        .extracting(UsageSummaryRow::credits)
        .containsExactlyInAnyOrder(TckFixture.credits(30), Amount.ofMinor(usd, 250));
  }

  /**
   * Rating state and dimension values as the core may hand them over: long, with line breaks,
   * quotes, backslashes, non-Latin text and emoji; kept exactly.
   */
  @Test
  void stateAndDimensionTextIsKeptExactly() {
    Map<String, String> dims = Map.of("note", "日本 \"q\" \\ 'x' %_ 🚀", "z", "ü");
    StoredUsageEvent e = event("e1", "1", T0, dims);
    StoredUsageEvent stored = ((IngestOutcome.Inserted) store.ingest(List.of(e)).get(0)).stored();
    assertThat(store.findUsageEvent(tenant, "e1")).contains(stored);
    assertThat(stored.event().dimensions()).isEqualTo(dims);
    String state = "{\"a\":\"日本\\n\",\n\t\"b\":\"🚀 ' \\\" \\\\\"}" + "x".repeat(200_000);
    assertThat(
            store.advanceRatingCursor(
                cursor().advanced(T0.plusSeconds(60), 1, state), List.of(line(1, 0, "1", 1, dims))))
        .isTrue();
    assertThat(cursor().state()).isEqualTo(state);
    assertThat(store.ratedLines(tenant, a, "m1", 1)).containsExactly(line(1, 0, "1", 1, dims));
    assertThat(store.usageSummary(UsageSummaryQuery.of(tenant)))
        .extracting(UsageSummaryRow::dimensions)
        .containsExactly(dims);
  }

  private static List<String> ids(List<IngestOutcome> outcomes) {
    return outcomes.stream()
        .map(o -> ((IngestOutcome.Inserted) o).stored())
        .map(s -> s.event().id() + "#" + s.sequence())
        .toList();
  }

  private static List<String> eventIds(List<StoredUsageEvent> events) {
    return events.stream().map(s -> s.event().id()).toList();
  }
}
