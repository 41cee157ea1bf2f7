package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.SubscriptionStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The subscription kit on H2, through two store instances. */
@Tag("h2")
class H2SubscriptionStoreTckTest extends AbstractSubscriptionStoreTckTest {
  private static SubscriptionStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.H2);
  }

  @Override
  protected SubscriptionStore store() {
    return stores[0];
  }

  @Override
  protected SubscriptionStore secondInstance() {
    return stores[1];
  }
}
