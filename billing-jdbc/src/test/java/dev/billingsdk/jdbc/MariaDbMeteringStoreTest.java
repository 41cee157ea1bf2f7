package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JDBC metering store's own rules on MariaDB. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbMeteringStoreTest extends AbstractMeteringStoreTest {
  @Override
  protected Db db() {
    return Db.MARIADB;
  }
}
