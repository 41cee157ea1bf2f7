package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.tck.SubscriptionStoreTck;

/**
 * The subscription kit on one database: the store under test and, for the race rules, a second
 * store on a pool of its own, as a second process would have.
 */
abstract class AbstractSubscriptionStoreTckTest extends SubscriptionStoreTck {
  static final String PREFIX = "sub_";

  static SubscriptionStore[] fresh(Db db) {
    TestDatabases.assumeAvailable(db);
    TestDatabases.freshStore(db, PREFIX);
    return new SubscriptionStore[] {
      JdbcSubscriptionStore.create(TestDatabases.pool(db, "main", 16), PREFIX),
      JdbcSubscriptionStore.create(TestDatabases.pool(db, "second-instance", 8), PREFIX)
    };
  }
}
