package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.CatalogueStore;
import dev.billingsdk.tck.CatalogueStoreTck;

/**
 * The catalogue kit on one database: the store under test and, for the race rule, a second store on
 * a pool of its own, as a second process would have.
 */
abstract class AbstractCatalogueStoreTckTest extends CatalogueStoreTck {
  static final String PREFIX = "cat_";

  static CatalogueStore[] fresh(Db db) {
    TestDatabases.assumeAvailable(db);
    TestDatabases.freshStore(db, PREFIX);
    return new CatalogueStore[] {
      JdbcCatalogueStore.create(TestDatabases.pool(db, "main", 16), PREFIX),
      JdbcCatalogueStore.create(TestDatabases.pool(db, "second-instance", 8), PREFIX)
    };
  }
}
