package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.ProviderEventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The provider-event kit on H2, through two store instances. */
@Tag("h2")
class H2ProviderEventStoreTckTest extends AbstractProviderEventStoreTckTest {
  private static ProviderEventStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.H2);
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
