package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.tck.MeteringDeductionTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The deduction kit on MariaDB. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbMeteringDeductionTckTest extends MeteringDeductionTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.MARIADB);
    store = TestDatabases.freshStore(Db.MARIADB, "mded_");
  }

  @Override
  protected BillingStore store() {
    return store;
  }

  @Override
  protected MeteringStore meteringStore() {
    return store;
  }
}
