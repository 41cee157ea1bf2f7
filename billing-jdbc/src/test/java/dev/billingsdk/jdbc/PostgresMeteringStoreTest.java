package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JDBC metering store's own rules on PostgreSQL. */
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresMeteringStoreTest extends AbstractMeteringStoreTest {
  @Override
  protected Db db() {
    return Db.POSTGRESQL;
  }
}
