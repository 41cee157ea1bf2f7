package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;

/** Many threads and two application instances debiting on PostgreSQL. */
class PostgresConcurrencyTest extends AbstractConcurrencyTest {
  @Override
  protected Db db() {
    return Db.POSTGRESQL;
  }
}
