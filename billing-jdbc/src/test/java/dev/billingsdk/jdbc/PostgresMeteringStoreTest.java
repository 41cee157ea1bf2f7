package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;

/** The JDBC metering store's own rules on PostgreSQL. */
class PostgresMeteringStoreTest extends AbstractMeteringStoreTest {
  @Override
  protected Db db() {
    return Db.POSTGRESQL;
  }
}
