package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.BillingStoreProperties;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** The kit's properties on POSTGRESQL; every try uses a fresh tenant in one set of tables. */
@AddLifecycleHook(DatabaseAvailable.Postgres.class)
class PostgresStorePropertiesTest extends BillingStoreProperties {
  private static JdbcBillingStore store;

  @Override
  protected synchronized BillingStore store() {
    if (store == null) {
      store = TestDatabases.freshStore(Db.POSTGRESQL, "props_");
    }
    return store;
  }
}
