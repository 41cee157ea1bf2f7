package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.tck.ProviderEventStoreTck;

/**
 * The provider-event kit on one database: the store under test and, for the race rules, a second
 * store on a pool of its own, as a second process would have.
 */
abstract class AbstractProviderEventStoreTckTest extends ProviderEventStoreTck {
  static final String PREFIX = "pev_";

  static ProviderEventStore[] fresh(Db db) {
    TestDatabases.assumeAvailable(db);
    TestDatabases.freshStore(db, PREFIX);
    return new ProviderEventStore[] {
      JdbcProviderEventStore.create(TestDatabases.pool(db, "main", 16), PREFIX),
      JdbcProviderEventStore.create(TestDatabases.pool(db, "second-instance", 8), PREFIX)
    };
  }
}
