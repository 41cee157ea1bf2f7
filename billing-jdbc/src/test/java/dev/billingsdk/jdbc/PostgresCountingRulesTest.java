package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** CountingDataSource's round-trip rules against pgjdbc's wire. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresCountingRulesTest extends AbstractCountingRulesTest {
  @Override
  protected Db db() {
    return Db.POSTGRESQL;
  }
}
