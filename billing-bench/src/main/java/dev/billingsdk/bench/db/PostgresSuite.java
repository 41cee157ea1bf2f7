package dev.billingsdk.bench.db;

import dev.billingsdk.bench.BenchConfig;
import dev.billingsdk.jdbc.Dialect;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The database runs on PostgreSQL, beside pgbench and COPY on the same server. */
public final class PostgresSuite extends DatabaseSuite {
  private Path pgbench;

  public PostgresSuite() {}

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  String section() {
    return "PostgreSQL";
  }

  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }

  @Override
  String url(BenchConfig config) {
    return config.postgresUrl();
  }

  @Override
  long summaryEvents(BenchConfig config) {
    return config.quick() ? 50_000 : 1_000_000;
  }

  @Override
  Optional<Baseline> bankBaseline() throws Exception {
    Optional<Path> found = Tpcb.pgbench();
    if (found.isEmpty()) {
      report.note(
          "postgresql: pgbench not found on PATH or under /usr/lib/postgresql/*/bin; the single"
              + " debit row has the plain-JDBC tpcb-like client as its baseline instead");
      return Optional.empty();
    }
    pgbench = found.get();
    int scale = Math.max(10, config.clients());
    long start = System.nanoTime();
    Tpcb.pgbenchInit(pgbench, db.url, scale);
    Load.log(
        "postgresql: pgbench -i -s "
            + scale
            + " in "
            + Load.f((System.nanoTime() - start) / 1e9)
            + " s");
    String note =
        "Baseline: "
            + pgbench
            + " -n -M prepared -c "
            + config.clients()
            + " -j "
            + config.clients()
            + " -T "
            + config.dbSeconds()
            + " (built-in tpcb-like), after pgbench -i -s "
            + scale
            + ", same database; its 'tps ... without initial connection time'";
    return Optional.of(
        new Baseline() {
          @Override
          public String name() {
            return "pgbench tpcb-like";
          }

          @Override
          public double runOnce() throws Exception {
            return Tpcb.pgbenchRun(pgbench, db.url, config.clients(), config.dbSeconds());
          }

          @Override
          public String note() {
            return note;
          }
        });
  }

  @Override
  List<BulkLoad> bulkLoads() {
    return List.of(
        bulk("COPY FROM STDIN", (d, rows, scratch) -> Ingest.copy(d, rows)),
        bulk("multi-row INSERT", (d, rows, scratch) -> Ingest.multiRowInsert(d, rows)));
  }

  @Override
  void tearDown() throws Exception {
    super.tearDown();
    if (pgbench != null) {
      Tpcb.pgbenchDrop(db);
    }
  }
}
