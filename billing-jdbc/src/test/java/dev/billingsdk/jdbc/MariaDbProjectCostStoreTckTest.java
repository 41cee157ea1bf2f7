package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.ProjectCostStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The project cost kit on MariaDb, through two store instances. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbProjectCostStoreTckTest extends AbstractProjectCostStoreTckTest {
  private static ProjectCostStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.MARIADB);
  }

  @Override
  protected ProjectCostStore store() {
    return stores[0];
  }

  @Override
  protected ProjectCostStore secondInstance() {
    return stores[1];
  }
}
