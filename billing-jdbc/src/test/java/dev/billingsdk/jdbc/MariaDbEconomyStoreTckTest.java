package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.EconomyStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The economy kit on MariaDb, through two store instances. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbEconomyStoreTckTest extends AbstractEconomyStoreTckTest {
  private static EconomyStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.MARIADB);
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
