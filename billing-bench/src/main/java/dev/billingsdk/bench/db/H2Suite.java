package dev.billingsdk.bench.db;

import dev.billingsdk.bench.BenchConfig;
import dev.billingsdk.jdbc.Dialect;
import java.nio.file.Path;
import java.util.List;

/**
 * The database runs on H2, embedded in the benchmark's JVM as a file database under the output
 * folder, beside the plain-JDBC tpcb-like client and a multi-row INSERT.
 */
public final class H2Suite extends DatabaseSuite {
  private Path file;

  public H2Suite() {}

  @Override
  public String name() {
    return "h2";
  }

  @Override
  String section() {
    return "H2";
  }

  @Override
  Dialect dialect() {
    return Dialect.H2;
  }

  @Override
  String url(BenchConfig config) {
    file = config.output().resolve("h2").resolve("bench").toAbsolutePath();
    return "jdbc:h2:file:" + file + ";AUTO_SERVER=FALSE";
  }

  @Override
  String whereNote() {
    return "; embedded file database " + file + ".mv.db";
  }

  @Override
  long summaryEvents(BenchConfig config) {
    return config.quick() ? 50_000 : 200_000;
  }

  @Override
  String summarySizeNote() {
    return ". Smaller than PostgreSQL's and MariaDB's 1,000,000 events: the library ingests into"
        + " this H2 file database at only 2,000-3,000 events/s on the bench machine, so 1,000,000"
        + " would take most of the run's budget to load (the dataset is kept for later runs)";
  }

  @Override
  List<BulkLoad> bulkLoads() {
    return List.of(bulk("multi-row INSERT", (d, rows, scratch) -> Ingest.multiRowInsert(d, rows)));
  }
}
