package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.TopUpStore;
import dev.billingsdk.tck.TopUpStoreTck;

/**
 * The top-up kit on one database: the store under test and, for the race rules, a second store on a
 * pool of its own, as a second process would have.
 */
abstract class AbstractTopUpStoreTckTest extends TopUpStoreTck {
  static final String PREFIX = "top_";

  static TopUpStore[] fresh(Db db) {
    TestDatabases.assumeAvailable(db);
    TestDatabases.freshStore(db, PREFIX);
    return new TopUpStore[] {
      JdbcTopUpStore.create(TestDatabases.pool(db, "main", 16), PREFIX),
      JdbcTopUpStore.create(TestDatabases.pool(db, "second-instance", 8), PREFIX)
    };
  }
}
