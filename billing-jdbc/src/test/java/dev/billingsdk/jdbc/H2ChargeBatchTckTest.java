package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.ChargeBatchTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The batched-charge kit on H2. */
@Tag("h2")
class H2ChargeBatchTckTest extends ChargeBatchTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.H2);
    store = TestDatabases.freshStore(Db.H2, "cbat_");
  }

  @Override
  protected BillingStore store() {
    return store;
  }
}
