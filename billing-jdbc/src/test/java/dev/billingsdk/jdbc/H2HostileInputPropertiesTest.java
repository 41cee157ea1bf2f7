package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.HostileInputProperties;

/** The hostile-input properties on H2; every try uses a fresh tenant in one set of tables. */
class H2HostileInputPropertiesTest extends HostileInputProperties {
  private static JdbcBillingStore store;

  @Override
  protected synchronized BillingStore store() {
    if (store == null) {
      store = TestDatabases.freshStore(Db.H2, "hprop_");
    }
    return store;
  }
}
