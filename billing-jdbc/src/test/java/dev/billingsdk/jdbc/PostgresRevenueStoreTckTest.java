package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.RevenueStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The revenue kit on Postgres, through two store instances. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresRevenueStoreTckTest extends AbstractRevenueStoreTckTest {
  private static Stores stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.POSTGRESQL);
  }

  @Override
  protected BillingStore billingStore() {
    return stores.billing();
  }

  @Override
  protected RevenueStore store() {
    return stores.first();
  }

  @Override
  protected RevenueStore secondInstance() {
    return stores.second();
  }
}
