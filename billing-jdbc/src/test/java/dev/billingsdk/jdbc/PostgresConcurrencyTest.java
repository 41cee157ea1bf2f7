package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many threads and two application instances debiting on PostgreSQL. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresConcurrencyTest extends AbstractConcurrencyTest {
  @Override
  protected Db db() {
    return Db.POSTGRESQL;
  }
}
