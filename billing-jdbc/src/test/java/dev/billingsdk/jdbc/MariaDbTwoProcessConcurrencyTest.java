package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test JVM and a second JVM writing the same keys and accounts on MariaDB. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbTwoProcessConcurrencyTest extends AbstractTwoProcessConcurrencyTest {
  @Override
  protected Db db() {
    return Db.MARIADB;
  }
}
