package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.tck.MeteringStoreTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The whole metering kit on H2. */
@Tag("h2")
class H2MeteringTckTest extends MeteringStoreTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.H2);
    store = TestDatabases.freshStore(Db.H2, "mtck_");
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
