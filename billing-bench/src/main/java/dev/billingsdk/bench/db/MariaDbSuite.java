package dev.billingsdk.bench.db;

import dev.billingsdk.bench.BenchConfig;
import dev.billingsdk.jdbc.Dialect;
import java.util.List;

/**
 * The database runs on MariaDB, beside the plain-JDBC tpcb-like client, a multi-row INSERT and LOAD
 * DATA LOCAL INFILE on the same server.
 */
public final class MariaDbSuite extends DatabaseSuite {
  public MariaDbSuite() {}

  @Override
  public String name() {
    return "mariadb";
  }

  @Override
  String section() {
    return "MariaDB";
  }

  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }

  @Override
  String url(BenchConfig config) {
    return config.mariadbUrl();
  }

  @Override
  long summaryEvents(BenchConfig config) {
    return config.quick() ? 50_000 : 1_000_000;
  }

  @Override
  List<BulkLoad> bulkLoads() {
    return List.of(
        bulk("multi-row INSERT", (d, rows, scratch) -> Ingest.multiRowInsert(d, rows)),
        bulk(
            "LOAD DATA LOCAL INFILE",
            (d, rows, scratch) -> Ingest.loadData(d, rows, scratch.resolve("mariadb-load"))));
  }
}
