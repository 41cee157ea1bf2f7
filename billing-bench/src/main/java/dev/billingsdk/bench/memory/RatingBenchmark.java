package dev.billingsdk.bench.memory;

import dev.billingsdk.AccountId;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.setup.Billing;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Rating a window, one thread. Before each call (untimed, {@code Level.Invocation}: a call rates
 * thousands of events, so JMH's per-invocation overhead is negligible) a fresh store gets one
 * account with a large grant and 1,000 or 10,000 usage events of {@code llm-tokens} spread over one
 * hour window (four dimension combinations, priced per direction); the clock is one minute past the
 * window.
 *
 * <p>{@link #rate}: one {@code deductions().run()}: reads the cursor, the window's usage in pages,
 * rates it exactly ({@code Rational}), stores the decision in the cursor, posts the usage debit
 * through the priority-ordered credit application and confirms with the rated lines. The figure is
 * <b>events rated per second</b> (JMH counts 1,000 or 10,000 operations per call). Baseline {@link
 * #bareRate}: the same events as plain arrays, summed per dimension combination in a {@code
 * HashMap} of {@code long} counters, priced in exact integer arithmetic (micro-credits) and rounded
 * once, and the total taken off a {@code long} balance.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
public class RatingBenchmark {
  /** The window: [08:00, 09:00) on the day of {@link Fixtures#NOW}; the run happens at 09:01. */
  static final Instant WINDOW = Fixtures.NOW.plus(Duration.ofHours(8));

  /** The window's events as plain arrays: what the bare baseline rates. */
  public abstract static class Events {
    long[] quantity;
    long[] epochMilli;
    List<Map<String, String>> dims;
    long bareBalance;

    abstract int size();

    @Setup(Level.Trial)
    public void events() {
      int n = size();
      quantity = new long[n];
      epochMilli = new long[n];
      dims = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        quantity[i] = 1 + i % 4000;
        epochMilli[i] = WINDOW.toEpochMilli() + i * (3_600_000L / n);
        dims.add(IngestionBenchmark.DIMENSIONS.get(i & 3));
      }
      bareBalance = Long.MAX_VALUE / 2;
    }
  }

  /** The same events ingested into a fresh store before each call. */
  public abstract static class Ingested extends Events {
    final AccountId account = AccountId.of("acct-rate");
    Billing billing;

    @Setup(Level.Invocation)
    public void ingest() {
      BenchClock clock = new BenchClock(WINDOW.plus(Duration.ofMinutes(61)));
      billing =
          Billing.builder()
              .store(InMemoryBillingStore.create())
              .clock(clock)
              .metering(MeteringSettings.of(IngestionBenchmark.prices(), Duration.ofHours(1)))
              .build();
      billing.metering().defineMeter(IngestionBenchmark.meter(), Fixtures.ADMIN);
      Fixtures.openAccount(billing, account);
      Fixtures.grant(billing, account, Fixtures.LARGE, "rate-grant");
      List<UsageEvent> batch = new ArrayList<>();
      for (int i = 0; i < quantity.length; i++) {
        batch.add(
            UsageEvent.builder(Fixtures.TENANT, account, Fixtures.METER)
                .id("evt-" + i)
                .quantity(BigDecimal.valueOf(quantity[i]))
                .occurredAt(Instant.ofEpochMilli(epochMilli[i]))
                .dimensions(dims.get(i))
                .build());
        if (batch.size() == 5_000) {
          billing.metering().ingest(batch, Fixtures.GATEWAY);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        billing.metering().ingest(batch, Fixtures.GATEWAY);
      }
    }
  }

  @State(Scope.Thread)
  public static class Events1000 extends Events {
    @Override
    int size() {
      return 1_000;
    }
  }

  @State(Scope.Thread)
  public static class Events10000 extends Events {
    @Override
    int size() {
      return 10_000;
    }
  }

  @State(Scope.Thread)
  public static class Ingested1000 extends Ingested {
    @Override
    int size() {
      return 1_000;
    }
  }

  @State(Scope.Thread)
  public static class Ingested10000 extends Ingested {
    @Override
    int size() {
      return 10_000;
    }
  }

  @Benchmark
  @OperationsPerInvocation(1_000)
  public DeductionReport rate1000(Ingested1000 w) {
    return rate(w);
  }

  @Benchmark
  @OperationsPerInvocation(10_000)
  public DeductionReport rate10000(Ingested10000 w) {
    return rate(w);
  }

  @Benchmark
  @OperationsPerInvocation(1_000)
  public long bareRate1000(Events1000 w) {
    return bareRate(w);
  }

  @Benchmark
  @OperationsPerInvocation(10_000)
  public long bareRate10000(Events10000 w) {
    return bareRate(w);
  }

  private static DeductionReport rate(Ingested w) {
    DeductionReport r = w.billing.deductions().run();
    if (!r.failures().isEmpty() || r.postings().size() != 1 || !r.postings().get(0).posted()) {
      throw new IllegalStateException("the window was not rated and posted once: " + r);
    }
    return r;
  }

  private static long bareRate(Events w) {
    long from = WINDOW.toEpochMilli();
    long to = from + 3_600_000L;
    Map<Map<String, String>, long[]> sums = new HashMap<>();
    for (int i = 0; i < w.quantity.length; i++) {
      if (w.epochMilli[i] >= from && w.epochMilli[i] < to) {
        sums.computeIfAbsent(w.dims.get(i), d -> new long[1])[0] += w.quantity[i];
      }
    }
    // Prices in micro-credits per token: 0.0025 (input), 0.01 (output); credits have 2 decimals.
    long micro = 0;
    for (Map.Entry<Map<String, String>, long[]> e : sums.entrySet()) {
      long price = "input".equals(e.getKey().get("direction")) ? 2_500 : 10_000;
      micro = Math.addExact(micro, Math.multiplyExact(e.getValue()[0], price));
    }
    // To hundredths of a credit, half-even, once.
    long minor = micro / 10_000;
    long rest = micro % 10_000;
    if (rest > 5_000 || (rest == 5_000 && (minor & 1) == 1)) {
      minor++;
    }
    w.bareBalance -= minor;
    return w.bareBalance;
  }
}
