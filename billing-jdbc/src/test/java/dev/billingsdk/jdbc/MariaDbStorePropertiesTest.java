package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.BillingStoreProperties;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** The kit's properties on MARIADB; every try uses a fresh tenant in one set of tables. */
@AddLifecycleHook(DatabaseAvailable.MariaDb.class)
class MariaDbStorePropertiesTest extends BillingStoreProperties {
  private static JdbcBillingStore store;

  @Override
  protected synchronized BillingStore store() {
    if (store == null) {
      store = TestDatabases.freshStore(Db.MARIADB, "props_");
    }
    return store;
  }
}
