package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.PurchaseStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The purchase kit on H2, through two store instances. */
@Tag("h2")
class H2PurchaseStoreTckTest extends AbstractPurchaseStoreTckTest {
  private static PurchaseStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.H2);
  }

  @Override
  protected PurchaseStore store() {
    return stores[0];
  }

  @Override
  protected PurchaseStore secondInstance() {
    return stores[1];
  }
}
