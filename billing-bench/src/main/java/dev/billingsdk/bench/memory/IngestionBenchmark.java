package dev.billingsdk.bench.memory;

import dev.billingsdk.AccountId;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.IngestResult;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.setup.Billing;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Usage ingestion with dedup, one thread, on a store rebuilt each iteration (it keeps every event).
 *
 * <p>{@link #ingest}: one {@code metering().ingest(batch, actor)} call with a batch of {@value
 * #BATCH} events for 10 accounts on one meter ({@code llm-tokens}, SUM, dimensions model and
 * direction), of which every tenth is a resend of an event of the previous batch (same id, same
 * payload: acknowledged as a duplicate, never counted twice), so 10% duplicates. The events are
 * built in the benchmark ({@code UsageEvent.builder}, whose setters validate and copy the
 * dimensions), as a host builds them. The figure is <b>events per second</b> (JMH counts {@value
 * #BATCH} operations per call).
 *
 * <p>Baseline {@link #bareIngest}: the same events as a plain record, deduplicated in a {@code
 * HashMap} by id (a resend compares the payload, as the library's fingerprint does), new events
 * stored in the map and counted into a {@code long} per account.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
public class IngestionBenchmark {
  static final int BATCH = 100;
  static final int ACCOUNTS = 10;

  static final List<Map<String, String>> DIMENSIONS =
      List.of(
          Map.of("model", "gpt-4o", "direction", "input"),
          Map.of("model", "gpt-4o", "direction", "output"),
          Map.of("model", "claude", "direction", "input"),
          Map.of("model", "claude", "direction", "output"));

  static PriceBook prices() {
    return PriceBook.builder(RoundingMode.HALF_EVEN)
        .meter(
            Fixtures.METER,
            MeterPrice.in(Fixtures.CREDITS)
                .when(Map.of("direction", "input"), PriceModel.perUnit("0.0025"))
                .otherwise(PriceModel.perUnit("0.01"))
                .build())
        .build();
  }

  static Meter meter() {
    return Meter.builder(Fixtures.TENANT, Fixtures.METER, Aggregation.SUM)
        .unit("tokens")
        .dimensions("model", "direction")
        .build();
  }

  @State(Scope.Thread)
  public static class Feed {
    final AccountId[] accounts = new AccountId[ACCOUNTS];
    final Instant base = Fixtures.NOW.minus(Duration.ofHours(1));
    Billing billing;
    long next;

    Map<String, BareEvent> bareSeen;
    long[] bareTotals;

    @Setup(Level.Iteration)
    public void build() {
      BenchClock clock = new BenchClock(Fixtures.NOW);
      billing =
          Billing.builder()
              .store(InMemoryBillingStore.create())
              .clock(clock)
              .metering(MeteringSettings.of(prices(), Duration.ofHours(1)))
              .build();
      billing.metering().defineMeter(meter(), Fixtures.ADMIN);
      for (int a = 0; a < ACCOUNTS; a++) {
        accounts[a] = AccountId.of("acct-" + a);
        Fixtures.openAccount(billing, accounts[a]);
      }
      bareSeen = new HashMap<>();
      bareTotals = new long[ACCOUNTS];
      // One batch first, so that the first measured batch already has resends.
      next = 0;
      List<UsageEvent> first = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        first.add(event(next++));
      }
      billing.metering().ingest(first, Fixtures.GATEWAY);
      next = 0;
      for (int i = 0; i < BATCH; i++) {
        bare(bareEvent(next++));
      }
    }

    /** Event number {@code n}: its id fixes its payload, so a resend is a true duplicate. */
    UsageEvent event(long n) {
      return UsageEvent.builder(Fixtures.TENANT, accounts[(int) (n % ACCOUNTS)], Fixtures.METER)
          .id("evt-" + n)
          .quantity(BigDecimal.valueOf(1 + n % 4000))
          .occurredAt(base.plusMillis(n % 3_000_000))
          .dimensions(DIMENSIONS.get((int) (n & 3)))
          .build();
    }

    BareEvent bareEvent(long n) {
      return new BareEvent(
          "evt-" + n,
          (int) (n % ACCOUNTS),
          1 + n % 4000,
          base.toEpochMilli() + n % 3_000_000,
          DIMENSIONS.get((int) (n & 3)));
    }

    boolean bare(BareEvent e) {
      BareEvent existing = bareSeen.putIfAbsent(e.id(), e);
      if (existing != null) {
        if (!existing.equals(e)) {
          throw new IllegalStateException("conflicting resend " + e.id());
        }
        return true;
      }
      bareTotals[e.account()] += e.quantity();
      return false;
    }

    /**
     * The ids of a batch: every tenth (positions 9, 19, ...) resends the event the previous batch
     * sent one position earlier (8, 18, ...), which was new there.
     */
    long id(long first, int i) {
      return i % 10 == 9 ? first - BATCH + i - 1 : first + i;
    }
  }

  /** A usage event with no library: id, account index, quantity, time, dimensions. */
  record BareEvent(
      String id, int account, long quantity, long epochMilli, Map<String, String> dims) {
    BareEvent {
      Objects.requireNonNull(id);
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<IngestResult> ingest(Feed f) {
    long first = f.next;
    List<UsageEvent> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      batch.add(f.event(f.id(first, i)));
    }
    f.next = first + BATCH;
    return f.billing.metering().ingest(batch, Fixtures.GATEWAY);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int bareIngest(Feed f) {
    long first = f.next;
    List<BareEvent> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      batch.add(f.bareEvent(f.id(first, i)));
    }
    f.next = first + BATCH;
    int duplicates = 0;
    for (BareEvent e : batch) {
      if (f.bare(e)) {
        duplicates++;
      }
    }
    return duplicates;
  }
}
