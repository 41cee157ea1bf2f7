package dev.billingsdk.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the benchmark suites one after the other (never two at once: they would measure each other)
 * and writes {@code results.md} after each. Arguments name the suites ({@code all} by default):
 * {@code memory}, {@code postgresql}, {@code mariadb}, {@code h2}, and {@code statement} (the
 * statement of one account's month of 1,000,000 usage events on PostgreSQL), which runs only when
 * named: its first run loads its dataset, minutes the full set's 30-minute budget has not got.
 *
 * <p>A database suite whose server is unreachable is reported as not run, with the reason, and the
 * run goes on; the exit status is 1 when a suite failed, so a broken benchmark is never silent.
 */
public final class BenchMain {
  /** The suites, in the order a full run takes them. */
  static final Map<String, String> SUITES = new LinkedHashMap<>();

  static {
    SUITES.put("memory", "dev.billingsdk.bench.memory.MemorySuite");
    SUITES.put("postgresql", "dev.billingsdk.bench.db.PostgresSuite");
    SUITES.put("mariadb", "dev.billingsdk.bench.db.MariaDbSuite");
    SUITES.put("h2", "dev.billingsdk.bench.db.H2Suite");
    SUITES.put("statement", "dev.billingsdk.bench.db.StatementSuite");
  }

  /** What {@code all} runs: every suite but {@code statement}. */
  static final List<String> ALL = List.of("memory", "postgresql", "mariadb", "h2");

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    BenchConfig config = BenchConfig.fromEnvironment();
    List<String> wanted = new ArrayList<>();
    for (String a : args) {
      wanted.addAll(Arrays.asList(a.trim().toLowerCase(Locale.ROOT).split("[\\s,]+")));
    }
    wanted.removeIf(String::isBlank);
    if (wanted.isEmpty() || wanted.contains("all")) {
      wanted = new ArrayList<>(ALL);
    }
    for (String w : wanted) {
      if (!SUITES.containsKey(w)) {
        throw new IllegalArgumentException(
            "unknown suite '" + w + "'; known: all, " + String.join(", ", SUITES.keySet()));
      }
    }
    Report report = new Report();
    boolean failed = false;
    for (String name : wanted) {
      long start = System.nanoTime();
      log("suite " + name + ": starting");
      try {
        Suite suite =
            (Suite) Class.forName(SUITES.get(name)).getDeclaredConstructor().newInstance();
        suite.run(config, report);
      } catch (Exception | AssertionError e) {
        failed = true;
        report.note("suite " + name + " FAILED: " + e);
        e.printStackTrace();
      }
      log(
          String.format(
              Locale.ROOT, "suite %s: done in %.0f s", name, (System.nanoTime() - start) / 1e9));
      report.write(config);
    }
    System.out.println();
    System.out.println(report.markdown(config));
    log("results written to " + config.output().resolve("results.md").toAbsolutePath());
    if (failed) {
      System.exit(1);
    }
  }

  static void log(String message) {
    System.err.println("bench: " + message);
  }
}
