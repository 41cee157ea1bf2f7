package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.ProjectCostStore;
import dev.billingsdk.tck.ProjectCostStoreTck;

/**
 * The project cost kit on one database: the store under test and, for the race rule, a second store
 * on a pool of its own, as a second process would have.
 */
abstract class AbstractProjectCostStoreTckTest extends ProjectCostStoreTck {
  static final String PREFIX = "pcost_";

  static ProjectCostStore[] fresh(Db db) {
    TestDatabases.assumeAvailable(db);
    TestDatabases.freshStore(db, PREFIX);
    return new ProjectCostStore[] {
      JdbcProjectCostStore.create(TestDatabases.pool(db, "main", 16), PREFIX),
      JdbcProjectCostStore.create(TestDatabases.pool(db, "second-instance", 8), PREFIX)
    };
  }
}
