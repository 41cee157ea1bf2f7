package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.HostileInputProperties;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** The hostile-input properties on MariaDB; every try uses a fresh tenant in one set of tables. */
@AddLifecycleHook(DatabaseAvailable.MariaDb.class)
class MariaDbHostileInputPropertiesTest extends HostileInputProperties {
  private static JdbcBillingStore store;

  @Override
  protected synchronized BillingStore store() {
    if (store == null) {
      store = TestDatabases.freshStore(Db.MARIADB, "hprop_");
    }
    return store;
  }
}
