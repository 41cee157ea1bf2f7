package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.RevenueStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The revenue kit on H2, through two store instances. */
@Tag("h2")
class H2RevenueStoreTckTest extends AbstractRevenueStoreTckTest {
  private static Stores stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.H2);
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
