package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;

/** Instants at the microsecond: H2 answers as the in-memory store does. */
class H2InstantPrecisionPropertiesTest extends AbstractInstantPrecisionProperties {
  private static JdbcBillingStore store;

  @Override
  synchronized BillingStore store() {
    if (store == null) {
      store = TestDatabases.freshStore(Db.H2, "instants_");
    }
    return store;
  }
}
