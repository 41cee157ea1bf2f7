package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.CatalogueStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalogue kit on MariaDb, through two store instances. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbCatalogueStoreTckTest extends AbstractCatalogueStoreTckTest {
  private static CatalogueStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.MARIADB);
  }

  @Override
  protected CatalogueStore store() {
    return stores[0];
  }

  @Override
  protected CatalogueStore secondInstance() {
    return stores[1];
  }
}
