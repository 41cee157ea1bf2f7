package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;

/** Many threads and two application instances debiting on MariaDB. */
class MariaDbConcurrencyTest extends AbstractConcurrencyTest {
  @Override
  protected Db db() {
    return Db.MARIADB;
  }
}
