package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.ProjectCostStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The project cost kit on H2, through two store instances. */
@Tag("h2")
class H2ProjectCostStoreTckTest extends AbstractProjectCostStoreTckTest {
  private static ProjectCostStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.H2);
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
