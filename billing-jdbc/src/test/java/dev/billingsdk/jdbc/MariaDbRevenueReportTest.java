package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The revenue story on MariaDb. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbRevenueReportTest extends AbstractRevenueReportTest {
  @Override
  Db db() {
    return Db.MARIADB;
  }
}
