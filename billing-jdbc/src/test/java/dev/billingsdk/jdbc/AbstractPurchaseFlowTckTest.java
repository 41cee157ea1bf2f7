package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.tck.PurchaseFlowTck;
import javax.sql.DataSource;

/**
 * The purchase flow kit on one database: the ledger, catalogue, purchase and provider-event stores
 * of one instance on one pool, and a second instance's on a pool of its own, as a second process
 * would have.
 */
abstract class AbstractPurchaseFlowTckTest extends PurchaseFlowTck {
  static final String PREFIX = "pflow_";

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
        JdbcProviderEventStore.create(ds, PREFIX));
  }
}
