package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.RevenueStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The revenue kit on MariaDb, through two store instances. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbRevenueStoreTckTest extends AbstractRevenueStoreTckTest {
  private static Stores stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.MARIADB);
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
