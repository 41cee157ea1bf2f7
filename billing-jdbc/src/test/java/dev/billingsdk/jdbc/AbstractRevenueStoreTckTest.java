package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.RevenueStore;
import dev.billingsdk.tck.RevenueStoreTck;

/**
 * The revenue kit on one database: the billing store whose ledger is read, the revenue store under
 * test and, for the race rules, a second revenue store on a pool of its own, as a second process
 * would have.
 */
abstract class AbstractRevenueStoreTckTest extends RevenueStoreTck {
  static final String PREFIX = "rev_";

  /** The stores of one database: the billing store, then two revenue stores. */
  record Stores(BillingStore billing, RevenueStore first, RevenueStore second) {}

  static Stores fresh(Db db) {
    TestDatabases.assumeAvailable(db);
    JdbcBillingStore billing = TestDatabases.freshStore(db, PREFIX);
    return new Stores(
        billing,
        JdbcRevenueStore.create(TestDatabases.pool(db, "main", 16), PREFIX),
        JdbcRevenueStore.create(TestDatabases.pool(db, "second-instance", 8), PREFIX));
  }
}
