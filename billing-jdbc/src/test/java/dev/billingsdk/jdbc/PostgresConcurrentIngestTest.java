package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;

/** Many threads and two application instances ingesting overlapping usage on PostgreSQL. */
class PostgresConcurrentIngestTest extends AbstractConcurrentIngestTest {
  @Override
  protected Db db() {
    return Db.POSTGRESQL;
  }
}
