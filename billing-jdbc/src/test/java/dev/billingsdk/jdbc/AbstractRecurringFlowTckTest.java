package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.tck.RecurringFlowTck;
import javax.sql.DataSource;

/**
 * The recurring flow kit on one database: every store of one instance on one pool, and a second
 * instance's on a pool of its own, as a second process would have.
 */
abstract class AbstractRecurringFlowTckTest extends RecurringFlowTck {
  static final String PREFIX = "rflow_";

  static Stores[] fresh(Db db) {
    TestDatabases.assumeAvailable(db);
    TestDatabases.freshStore(db, PREFIX);
    return new Stores[] {
      stores(db, TestDatabases.pool(db, "main", 16)),
      stores(db, TestDatabases.pool(db, "second-instance", 8))
    };
  }

  private static Stores stores(Db db, DataSource ds) {
    return new Stores(
        JdbcBillingStore.builder(ds).dialect(db.dialect).tablePrefix(PREFIX).build(),
        JdbcCatalogueStore.create(ds, PREFIX),
        JdbcPurchaseStore.create(ds, PREFIX),
        JdbcProviderEventStore.create(ds, PREFIX),
        JdbcEconomyStore.create(ds, PREFIX),
        JdbcSubscriptionStore.create(ds, PREFIX),
        JdbcTopUpStore.create(ds, PREFIX));
  }
}
