package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.BillingStoreProperties;

/** The kit's properties on H2; every try uses a fresh tenant in one set of tables. */
class H2StorePropertiesTest extends BillingStoreProperties {
  private static JdbcBillingStore store;

  @Override
  protected synchronized BillingStore store() {
    if (store == null) {
      store = TestDatabases.freshStore(Db.H2, "props_");
    }
    return store;
  }
}
