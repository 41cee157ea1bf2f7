package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.SubscriptionStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The subscription kit on Postgres, through two store instances. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresSubscriptionStoreTckTest extends AbstractSubscriptionStoreTckTest {
  private static SubscriptionStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.POSTGRESQL);
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
