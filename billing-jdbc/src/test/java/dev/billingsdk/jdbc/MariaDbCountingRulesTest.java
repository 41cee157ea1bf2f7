package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** CountingDataSource's round-trip rules against MariaDB Connector/J's wire. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbCountingRulesTest extends AbstractCountingRulesTest {
  @Override
  protected Db db() {
    return Db.MARIADB;
  }
}
