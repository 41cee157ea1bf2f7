package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.HostileInputTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The hostile-input kit on H2, in tables of its own. */
@Tag("h2")
class H2HostileInputTckTest extends HostileInputTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.H2);
    store = TestDatabases.freshStore(Db.H2, "hostile_");
  }

  @Override
  protected BillingStore store() {
    return store;
  }
}
