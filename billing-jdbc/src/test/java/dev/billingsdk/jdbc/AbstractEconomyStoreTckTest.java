package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.EconomyStore;
import dev.billingsdk.tck.EconomyStoreTck;

/**
 * The economy kit on one database: the store under test and, for the race rules, a second store on
 * a pool of its own, as a second process would have.
 */
abstract class AbstractEconomyStoreTckTest extends EconomyStoreTck {
  static final String PREFIX = "eco_";

  static EconomyStore[] fresh(Db db) {
    TestDatabases.assumeAvailable(db);
    TestDatabases.freshStore(db, PREFIX);
    return new EconomyStore[] {
      JdbcEconomyStore.create(TestDatabases.pool(db, "main", 16), PREFIX),
      JdbcEconomyStore.create(TestDatabases.pool(db, "second-instance", 8), PREFIX)
    };
  }
}
