package dev.billingsdk.bench.memory;

import dev.billingsdk.bench.BenchConfig;
import dev.billingsdk.bench.Measurement;
import dev.billingsdk.bench.Report;
import dev.billingsdk.bench.Row;
import dev.billingsdk.bench.Suite;
import dev.billingsdk.bench.Target;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The in-memory suite: runs every JMH benchmark of this package in one JMH run (so each library
 * figure and its bare baseline come from the same run, on the same machine state), with JMH's GC
 * profiler, and turns the results into rows of section {@code in-memory}: the library's figure with
 * its 99.9% error, the baseline's, the ratio, the target and, in the note, the bytes the library
 * allocates per operation (and the baseline's, for comparison).
 *
 * <p>Forks, warm-ups, iterations and seconds come from {@link BenchConfig} (2 forks × 5 iterations
 * in a full run). The forks run with {@code -Xms2g -Xmx4g}: the in-memory store keeps everything it
 * is given, and the benchmarks that write rebuild their stores each iteration, so the figures are
 * not a GC-thrash artefact. The system property {@code bench.memory.include} (a JMH regular
 * expression) narrows the run, for profiling one benchmark.
 */
public final class MemorySuite implements Suite {
  static final String SECTION = "in-memory";
  static final String GC_NORM = "gc.alloc.rate.norm";

  @Override
  public String name() {
    return "memory";
  }

  /** One row of the table: which benchmark, against which baseline, under which target. */
  record Spec(
      String figure,
      String ours,
      String baseline,
      String baselineName,
      String param,
      String unit,
      String per,
      Target target,
      String note) {}

  /**
   * The allocation bounds of the issue's targets, by benchmark and parameter: a quote at 10 grants
   * allocates at most 1 KB.
   */
  static final Map<String, Long> MAX_BYTES_PER_OP =
      Map.of(key(CreditApplicationBenchmark.class.getSimpleName() + ".quote", "10"), 1024L);

  static List<Spec> specs() {
    List<Spec> specs = new ArrayList<>();
    String credit = CreditApplicationBenchmark.class.getSimpleName();
    String bareDecide = "plain arrays in grant order, eligibility checked, stop when covered";
    for (String grants : List.of("10", "100", "1000")) {
      // The write-path issue's targets: quote at 10 grants >= 3 M/s and <= 1 KB/op, at 1,000
      // grants >= 1 M/s; the rest is context.
      Target decide =
          switch (grants) {
            case "10" -> Target.rateAtLeast(3_000_000);
            case "1000" -> Target.rateAtLeast(1_000_000);
            default -> Target.none();
          };
      specs.add(
          new Spec(
              "credit application (quote: decide which grants pay), "
                  + grants
                  + " grants, 1 thread",
              credit + ".quote",
              credit + ".bareDecide",
              bareDecide,
              grants,
              "ops/s",
              "op",
              decide,
              "credits().quote(): snapshot + eligibility + grant order + takes, no write"));
      specs.add(
          new Spec(
              "credit application (quote), "
                  + grants
                  + " grants, 2 threads on 2 accounts of one store",
              credit + ".quoteTwoThreads",
              credit + ".bareDecideTwoThreads",
              bareDecide + ", one wallet per thread",
              grants,
              "ops/s",
              "op",
              Target.none(),
              "both threads together"));
      specs.add(
          new Spec(
              "full charge (decide + ledger transaction + event), " + grants + " grants, 1 thread",
              credit + ".charge",
              credit + ".bareCharge",
              "bare decide + decrement + key claimed in a HashMap",
              grants,
              "ops/s",
              "op",
              grants.equals("10") ? Target.rateAtLeast(1_000_000) : Target.none(),
              "credits().charge(): fingerprint, idempotency lookup, snapshot, plan, versioned commit"));
    }
    String posting = LedgerPostingBenchmark.class.getSimpleName();
    specs.add(
        new Spec(
            "balanced posting through BillingStore.commit (idempotency check included)",
            posting + ".post",
            posting + ".barePost",
            "key claimed in a HashMap, two longs moved, record appended",
            null,
            "ops/s",
            "op",
            Target.none(),
            "one USAGE_DEBIT (GRANT −, CONSUMED +), fresh key, in-memory store"));
    specs.add(
        new Spec(
            "reserve + settle pair (reservations()), 10 grants",
            posting + ".reserveSettle",
            posting + ".bareReserveSettle",
            "bare plan + hold in a HashMap + consume + give back",
            null,
            "pairs/s",
            "pair",
            Target.none(),
            "reserve 5.00, settle 4.20 (the rest goes back along the lineage)"));
    String ingestion = IngestionBenchmark.class.getSimpleName();
    specs.add(
        new Spec(
            "usage ingestion with dedup (10% duplicates), batches of "
                + IngestionBenchmark.BATCH
                + ", 10 accounts",
            ingestion + ".ingest",
            ingestion + ".bareIngest",
            "HashMap by id (payload compared on resend) + long counter per account",
            null,
            "events/s",
            "event",
            Target.rateAtLeast(2_000_000),
            "metering().ingest(batch, actor); events built with UsageEvent.builder"));
    String rating = RatingBenchmark.class.getSimpleName();
    for (String n : List.of("1000", "10000")) {
      specs.add(
          new Spec(
              "rating a one-hour window of "
                  + String.format(Locale.ROOT, "%,d", Integer.parseInt(n))
                  + " events (deductions().run(), posts the debit)",
              rating + ".rate" + n,
              rating + ".bareRate" + n,
              "HashMap of long counters per dimensions, exact integer price, rounded once",
              null,
              "events/s",
              "event",
              Target.none(),
              "rate per event rated"));
    }
    return specs;
  }

  @Override
  public void run(BenchConfig config, Report report) throws Exception {
    String include = System.getProperty("bench.memory.include", "").trim();
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(include.isEmpty() ? MemorySuite.class.getPackageName() + "\\." : include)
            .forks(config.jmhForks())
            .warmupIterations(config.jmhWarmups())
            .measurementIterations(config.jmhIterations())
            .warmupTime(TimeValue.seconds(config.jmhSeconds()))
            .measurementTime(TimeValue.seconds(config.jmhSeconds()))
            .jvmArgsAppend("-Xms2g", "-Xmx4g")
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(true);
    Collection<RunResult> results = new Runner(options.build()).run();
    Map<String, RunResult> byKey = new HashMap<>();
    for (RunResult r : results) {
      String benchmark = r.getParams().getBenchmark();
      String simple =
          benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      byKey.put(key(simple, r.getParams().getParam("grants")), r);
    }
    report.fact("JMH forks (in-memory)", "-Xms2g -Xmx4g, GC profiler on every benchmark");
    for (Spec s : specs()) {
      RunResult ours = byKey.get(key(s.ours(), s.param()));
      RunResult base = byKey.get(key(s.baseline(), s.param()));
      if (ours == null) {
        if (include.isEmpty()) {
          report.note("in-memory: no result for " + s.ours() + " (" + s.figure() + ")");
        }
        continue;
      }
      String unit = s.unit();
      Measurement oursM = measurement(ours, unit);
      Measurement baseM = base == null ? null : measurement(base, unit);
      StringBuilder note = new StringBuilder(s.note());
      note.append("; allocates ").append(allocation(ours)).append(" B/").append(s.per());
      if (base != null) {
        note.append(" (baseline ")
            .append(allocation(base))
            .append(" B/")
            .append(s.per())
            .append(')');
      }
      Long maxBytes = MAX_BYTES_PER_OP.get(key(s.ours(), s.param()));
      Target target =
          maxBytes == null
              ? s.target()
              : s.target().andAllocatesAtMost(maxBytes, bytes(ours), s.per());
      report.add(
          new Row(
              SECTION,
              s.figure(),
              oursM,
              base == null ? null : s.baselineName(),
              baseM,
              target,
              note.toString()));
    }
  }

  private static String key(String benchmark, String param) {
    return param == null ? benchmark : benchmark + "#" + param;
  }

  private static Measurement measurement(RunResult r, String unit) {
    Result<?> primary = r.getPrimaryResult();
    return Measurement.rate(primary.getScore(), primary.getScoreError(), unit);
  }

  private static double bytes(RunResult r) {
    Result<?> norm = r.getSecondaryResults().get(GC_NORM);
    return norm == null ? Double.NaN : norm.getScore();
  }

  private static String allocation(RunResult r) {
    Result<?> norm = r.getSecondaryResults().get(GC_NORM);
    if (norm == null || Double.isNaN(norm.getScore())) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%,.0f", norm.getScore());
  }
}
