package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.ProviderEventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The provider-event kit on Postgres, through two store instances. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresProviderEventStoreTckTest extends AbstractProviderEventStoreTckTest {
  private static ProviderEventStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.POSTGRESQL);
  }

  @Override
  protected ProviderEventStore store() {
    return stores[0];
  }

  @Override
  protected ProviderEventStore secondInstance() {
    return stores[1];
  }
}
