package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.InvoiceApplicationsTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The invoice-applications kit on H2, in tables of its own. */
@Tag("h2")
class H2InvoiceApplicationsTckTest extends InvoiceApplicationsTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.H2);
    store = TestDatabases.freshStore(Db.H2, "invapp_");
  }

  @Override
  protected BillingStore store() {
    return store;
  }
}
