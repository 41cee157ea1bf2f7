package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** Instants at the microsecond: PostgreSQL answers as the in-memory store does. */
@AddLifecycleHook(DatabaseAvailable.Postgres.class)
class PostgresInstantPrecisionPropertiesTest extends AbstractInstantPrecisionProperties {
  private static JdbcBillingStore store;

  @Override
  synchronized BillingStore store() {
    if (store == null) {
      store = TestDatabases.freshStore(Db.POSTGRESQL, "instants_");
    }
    return store;
  }
}
