package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.InvoiceApplicationsTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The invoice-applications kit on MariaDB, in tables of its own. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbInvoiceApplicationsTckTest extends InvoiceApplicationsTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.MARIADB);
    store = TestDatabases.freshStore(Db.MARIADB, "invapp_");
  }

  @Override
  protected BillingStore store() {
    return store;
  }
}
