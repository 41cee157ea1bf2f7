package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** Instants at the microsecond: MariaDB answers as the in-memory store does. */
@AddLifecycleHook(DatabaseAvailable.MariaDb.class)
class MariaDbInstantPrecisionPropertiesTest extends AbstractInstantPrecisionProperties {
  private static JdbcBillingStore store;

  @Override
  synchronized BillingStore store() {
    if (store == null) {
      store = TestDatabases.freshStore(Db.MARIADB, "instants_");
    }
    return store;
  }
}
