package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.PurchaseStore;
import dev.billingsdk.tck.PurchaseStoreTck;

/**
 * The purchase kit on one database: the store under test and, for the race rules, a second store on
 * a pool of its own, as a second process would have.
 */
abstract class AbstractPurchaseStoreTckTest extends PurchaseStoreTck {
  static final String PREFIX = "pur_";

  static PurchaseStore[] fresh(Db db) {
    TestDatabases.assumeAvailable(db);
    TestDatabases.freshStore(db, PREFIX);
    return new PurchaseStore[] {
      JdbcPurchaseStore.create(TestDatabases.pool(db, "main", 16), PREFIX),
      JdbcPurchaseStore.create(TestDatabases.pool(db, "second-instance", 8), PREFIX)
    };
  }
}
