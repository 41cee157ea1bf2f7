package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The revenue story on Postgres. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresRevenueReportTest extends AbstractRevenueReportTest {
  @Override
  Db db() {
    return Db.POSTGRESQL;
  }
}
