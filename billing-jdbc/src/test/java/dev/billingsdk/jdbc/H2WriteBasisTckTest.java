package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.WriteBasisTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The write-basis kit on H2, in tables of its own. */
@Tag("h2")
class H2WriteBasisTckTest extends WriteBasisTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.H2);
    store = TestDatabases.freshStore(Db.H2, "wbasis_");
  }

  @Override
  protected BillingStore store() {
    return store;
  }
}
