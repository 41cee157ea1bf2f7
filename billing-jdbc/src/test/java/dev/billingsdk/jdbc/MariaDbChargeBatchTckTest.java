package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.ChargeBatchTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The batched-charge kit on MariaDB. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbChargeBatchTckTest extends ChargeBatchTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.MARIADB);
    store = TestDatabases.freshStore(Db.MARIADB, "cbat_");
  }

  @Override
  protected BillingStore store() {
    return store;
  }
}
