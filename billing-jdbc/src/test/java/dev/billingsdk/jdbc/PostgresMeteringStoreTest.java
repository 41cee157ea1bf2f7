package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JDBC metering store's own rules on PostgreSQL. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresMeteringStoreTest extends AbstractMeteringStoreTest {
  @Override
  protected Db db() {
    return Db.POSTGRESQL;
  }
}
