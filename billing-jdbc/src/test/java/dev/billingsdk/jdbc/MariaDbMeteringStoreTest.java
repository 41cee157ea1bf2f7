package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;

/** The JDBC metering store's own rules on MariaDB. */
class MariaDbMeteringStoreTest extends AbstractMeteringStoreTest {
  @Override
  protected Db db() {
    return Db.MARIADB;
  }
}
