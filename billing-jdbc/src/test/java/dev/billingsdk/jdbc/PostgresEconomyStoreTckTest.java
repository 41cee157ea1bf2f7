package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.EconomyStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The economy kit on Postgres, through two store instances. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresEconomyStoreTckTest extends AbstractEconomyStoreTckTest {
  private static EconomyStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.POSTGRESQL);
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
