package dev.billingsdk.bench;

/** A group of benchmarks that adds its rows (and machine facts such as a server version). */
public interface Suite {
  /** The name BenchMain selects it by: memory, postgresql, mariadb, h2. */
  String name();

  void run(BenchConfig config, Report report) throws Exception;
}
