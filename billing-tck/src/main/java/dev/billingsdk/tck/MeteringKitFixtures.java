package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;

/**
 * What {@link MeteringStoreTck}'s rules build their worlds from: the kit's instants, the fixture
 * and store of the current test, and the helpers that open accounts, define meters, hand events to
 * the store and build rated lines. Kept apart from the rules so that the kit's file holds rules.
 */
abstract class MeteringKitFixtures {
  /** Where the kit's usage happens: the kit's start, a whole UTC day. */
  protected static final Instant T0 = TckFixture.START;

  /** When the kit says it received the events it hands the store (microsecond precision). */
  protected static final Instant RECEIVED = T0.plus(Duration.ofMinutes(7));

  /** An instant after all the kit's usage, for reads that should not filter by time. */
  protected static final Instant FAR = Instant.parse("2200-01-01T00:00:00Z");

  /** The most events a kit read asks for when it means "all of them". */
  protected static final int ALL = 100_000;

  protected TckFixture f;
  protected MeteringStore m;

  /** The store under test, as a ledger store (see {@link MeteringStoreTck}). */
  protected abstract BillingStore store();

  /** The store under test, as a metering store (see {@link MeteringStoreTck}). */
  protected abstract MeteringStore meteringStore();

  @BeforeEach
  void newWorld() {
    assertThat((Object) meteringStore())
        .as("store() and meteringStore() must be the same object")
        .isSameAs(store());
    f = new TckFixture(store());
    m = meteringStore();
  }

  // ------------------------------------------------------------------ helpers

  final Set<String> openedAccounts = new HashSet<>();

  /** An account of the fixture's tenant, opened once (a store may require it to exist). */
  protected AccountId account(String name) {
    return account(f, name);
  }

  AccountId account(TckFixture world, String name) {
    if (openedAccounts.add(world.tenant.value() + "\u0000" + name)) {
      return world.open(name);
    }
    return AccountId.of(name);
  }

  /** A SUM meter of the fixture's tenant over {@code dimensions}, stored if absent. */
  protected String meter(String key, String... dimensions) {
    return meter(f.tenant, key, dimensions);
  }

  String meter(TenantId tenant, String key, String... dimensions) {
    m.insertMeterIfAbsent(
        Meter.builder(tenant, key, Aggregation.SUM).unit("tokens").dimensions(dimensions).build());
    return key;
  }

  /** A usage event as the library would hand it to the store: unsequenced, with a fingerprint. */
  protected static StoredUsageEvent sent(
      TenantId tenant,
      String id,
      AccountId account,
      String meter,
      String quantity,
      Instant at,
      Map<String, String> dimensions) {
    UsageEvent e =
        UsageEvent.builder(tenant, account, meter)
            .id(id)
            .quantity(new BigDecimal(quantity))
            .occurredAt(at)
            .dimensions(dimensions)
            .build();
    return StoredUsageEvent.unsequenced(e, fingerprint(e), RECEIVED);
  }

  protected StoredUsageEvent sent(
      String id, AccountId account, String meter, String quantity, Instant at) {
    return sent(f.tenant, id, account, meter, quantity, at, Map.of());
  }

  /** The same event with another quantity: the same id, another fingerprint. */
  protected static StoredUsageEvent changed(StoredUsageEvent e, String quantity) {
    UsageEvent u = e.event();
    return sent(
        u.tenant(), u.id(), u.account(), u.meter(), quantity, u.occurredAt(), u.dimensions());
  }

  /** A digest of the payload, shaped like the library's (the store treats it as opaque text). */
  protected static String fingerprint(UsageEvent e) {
    String text =
        "usage|"
            + e.account().value()
            + "|"
            + e.meter()
            + "|"
            + e.quantity().toPlainString()
            + "|"
            + e.occurredAt()
            + "|"
            + new TreeMap<>(e.dimensions());
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      StringBuilder hex = new StringBuilder("sha256:");
      for (byte b : sha.digest(text.getBytes(StandardCharsets.UTF_8))) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("every JDK has SHA-256", ex);
    }
  }

  protected static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  static StoredUsageEvent inserted(IngestOutcome o) {
    assertThat(o).isInstanceOf(IngestOutcome.Inserted.class);
    return ((IngestOutcome.Inserted) o).stored();
  }

  static StoredUsageEvent duplicateOf(IngestOutcome o) {
    assertThat(o).isInstanceOf(IngestOutcome.Duplicate.class);
    return ((IngestOutcome.Duplicate) o).existing();
  }

  /** Ingests and requires every event to be inserted; returns the stored events. */
  protected List<StoredUsageEvent> ingestNew(StoredUsageEvent... events) {
    List<IngestOutcome> outcomes = m.ingest(List.of(events));
    assertThat(outcomes).hasSize(events.length);
    return outcomes.stream().map(MeteringKitFixtures::inserted).toList();
  }

  /** Every event of the triple, by sequence. */
  protected List<StoredUsageEvent> all(TenantId tenant, AccountId account, String meter) {
    return m.lateUsage(tenant, account, meter, 0, Long.MAX_VALUE, FAR, ALL);
  }

  protected List<StoredUsageEvent> all(AccountId account, String meter) {
    return all(f.tenant, account, meter);
  }

  static List<Long> sequences(List<StoredUsageEvent> events) {
    return events.stream().map(StoredUsageEvent::sequence).toList();
  }

  static List<String> ids(List<StoredUsageEvent> events) {
    return events.stream().map(e -> e.event().id()).toList();
  }

  static List<Long> oneTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  RatingCursor cursor(AccountId account, String meter) {
    return m.findRatingCursor(f.tenant, account, meter).orElseThrow();
  }

  /** A rated line of the fixture's tenant in {@code period}, for hand-built rating steps. */
  protected RatedLine line(
      AccountId account,
      String meter,
      int lineNumber,
      YearMonth period,
      Map<String, String> dimensions,
      String quantity,
      long credits) {
    return line(f.tenant, account, meter, lineNumber, period, dimensions, quantity, credits);
  }

  static RatedLine line(
      TenantId tenant,
      AccountId account,
      String meter,
      int lineNumber,
      YearMonth period,
      Map<String, String> dimensions,
      String quantity,
      long credits) {
    Instant start = period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    return new RatedLine(
        tenant,
        account,
        meter,
        0,
        lineNumber,
        start,
        start.plus(Duration.ofHours(1)),
        period,
        dimensions,
        new BigDecimal(quantity),
        TckFixture.credits(credits),
        lineNumber % 2 == 0 ? Optional.of("usage-posting-" + lineNumber) : Optional.empty());
  }

  static RatedLine atVersion(RatedLine l, long version) {
    return new RatedLine(
        l.tenant(),
        l.account(),
        l.meter(),
        version,
        l.lineNumber(),
        l.windowStart(),
        l.windowEnd(),
        l.period(),
        l.dimensions(),
        l.quantity(),
        l.credits(),
        l.posting());
  }

  /** A line with its quantity in canonical form, for comparing what a store reads back. */
  static RatedLine canonical(RatedLine l) {
    BigDecimal q = l.quantity().signum() == 0 ? BigDecimal.ZERO : l.quantity().stripTrailingZeros();
    if (q.scale() < 0) {
      q = q.setScale(0);
    }
    return new RatedLine(
        l.tenant(),
        l.account(),
        l.meter(),
        l.cursorVersion(),
        l.lineNumber(),
        l.windowStart(),
        l.windowEnd(),
        l.period(),
        l.dimensions(),
        q,
        l.credits(),
        l.posting());
  }

  static List<RatedLine> canonical(List<RatedLine> lines) {
    return lines.stream().map(MeteringKitFixtures::canonical).toList();
  }

  /**
   * One rating step of the triple from its stored version, storing {@code lines} (their versions
   * set to the one reached); returns the lines as stored.
   */
  List<RatedLine> step(TenantId tenant, AccountId account, String meter, List<RatedLine> lines) {
    RatingCursor c = m.findRatingCursor(tenant, account, meter).orElseThrow();
    List<RatedLine> versioned = lines.stream().map(l -> atVersion(l, c.version() + 1)).toList();
    assertThat(
            m.advanceRatingCursor(
                c.advanced(c.ratedUntil(), c.ratedSequence(), "step " + (c.version() + 1)),
                versioned))
        .as("a step from the stored version succeeds")
        .isTrue();
    return versioned;
  }
}
