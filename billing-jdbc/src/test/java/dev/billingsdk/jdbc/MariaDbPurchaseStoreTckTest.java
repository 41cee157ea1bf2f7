package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.PurchaseStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The purchase kit on MariaDb, through two store instances. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbPurchaseStoreTckTest extends AbstractPurchaseStoreTckTest {
  private static PurchaseStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.MARIADB);
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
