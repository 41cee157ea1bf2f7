package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.CatalogueStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The catalogue kit on H2, through two store instances. */
@Tag("h2")
class H2CatalogueStoreTckTest extends AbstractCatalogueStoreTckTest {
  private static CatalogueStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.H2);
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
