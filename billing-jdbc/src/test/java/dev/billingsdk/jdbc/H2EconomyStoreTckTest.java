package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.EconomyStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The economy kit on H2, through two store instances. */
@Tag("h2")
class H2EconomyStoreTckTest extends AbstractEconomyStoreTckTest {
  private static EconomyStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.H2);
  }

  @Override
  protected EconomyStore store() {
    return stores[0];
  }

  @Override
  protected EconomyStore secondInstance() {
    return stores[1];
  }
}
