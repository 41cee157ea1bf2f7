package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.InvoiceApplicationsTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The invoice-applications kit on PostgreSQL, in tables of its own. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresInvoiceApplicationsTckTest extends InvoiceApplicationsTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.POSTGRESQL);
    store = TestDatabases.freshStore(Db.POSTGRESQL, "invapp_");
  }

  @Override
  protected BillingStore store() {
    return store;
  }
}
