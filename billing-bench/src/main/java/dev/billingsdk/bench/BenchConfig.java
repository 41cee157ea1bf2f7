package dev.billingsdk.bench;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How long and against what the benchmarks run. Read from system properties, then environment
 * variables, then defaults that match the databases {@code .ci/run} sets up.
 *
 * @param quick a short smoke run (one fork, one short iteration, a few seconds per database run):
 *     proves the set runs end to end, not how fast it is
 * @param output where results.md is written
 * @param jmhForks JMH forks per benchmark (2 in a full run, as the issue asks)
 * @param jmhWarmups JMH warm-up iterations per fork
 * @param jmhIterations JMH measured iterations per fork (5 in a full run)
 * @param jmhSeconds seconds per JMH iteration
 * @param dbSeconds seconds each timed database run lasts
 * @param dbWarmupSeconds seconds of untimed charges and batches each database suite runs before its
 *     first timed run (30 in a full run: a cold JVM understated the figures by about 3×)
 * @param dbRepeats how many times each timed database run is repeated (the spread is its error bar)
 * @param clients the client count for the database runs (ours and pgbench alike)
 * @param postgresUrl JDBC URL of the PostgreSQL database (BILLING_BENCH_POSTGRES_URL)
 * @param mariadbUrl JDBC URL of the MariaDB database (BILLING_BENCH_MARIADB_URL)
 */
public record BenchConfig(
    boolean quick,
    Path output,
    int jmhForks,
    int jmhWarmups,
    int jmhIterations,
    int jmhSeconds,
    int dbSeconds,
    int dbWarmupSeconds,
    int dbRepeats,
    int clients,
    String postgresUrl,
    String mariadbUrl) {

  static final String DEFAULT_POSTGRES_URL =
      "jdbc:postgresql://127.0.0.1:5432/billing_test?user=billing&password=billing";
  static final String DEFAULT_MARIADB_URL =
      "jdbc:mariadb://127.0.0.1:3306/billing_test?user=billing&password=billing";

  public static BenchConfig fromEnvironment() {
    boolean quick = Boolean.parseBoolean(setting("bench.quick", "BILLING_BENCH_QUICK", "false"));
    return new BenchConfig(
        quick,
        Path.of(setting("bench.output", "BILLING_BENCH_OUTPUT", "target/benchmarks")),
        integer("bench.forks", "BILLING_BENCH_FORKS", quick ? 1 : 2),
        integer("bench.warmups", "BILLING_BENCH_WARMUPS", quick ? 1 : 3),
        integer("bench.iterations", "BILLING_BENCH_ITERATIONS", quick ? 1 : 5),
        integer("bench.seconds", "BILLING_BENCH_SECONDS", 1),
        integer("bench.dbSeconds", "BILLING_BENCH_DB_SECONDS", quick ? 2 : 10),
        integer("bench.dbWarmupSeconds", "BILLING_BENCH_DB_WARMUP_SECONDS", quick ? 2 : 30),
        integer("bench.dbRepeats", "BILLING_BENCH_DB_REPEATS", quick ? 1 : 3),
        integer("bench.clients", "BILLING_BENCH_CLIENTS", 2),
        setting("bench.postgresUrl", "BILLING_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        setting("bench.mariadbUrl", "BILLING_BENCH_MARIADB_URL", DEFAULT_MARIADB_URL));
  }

  private static String setting(String property, String env, String fallback) {
    return Optional.ofNullable(System.getProperty(property))
        .filter(s -> !s.isBlank())
        .or(() -> Optional.ofNullable(System.getenv(env)).filter(s -> !s.isBlank()))
        .orElse(fallback);
  }

  private static int integer(String property, String env, int fallback) {
    String s = setting(property, env, Integer.toString(fallback));
    try {
      int n = Integer.parseInt(s.trim());
      if (n < 1) {
        throw new IllegalArgumentException(property + " must be at least 1, was " + s);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(property + " must be a whole number, was " + s, e);
    }
  }
}
