package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.TopUpStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The top-up kit on MariaDb, through two store instances. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbTopUpStoreTckTest extends AbstractTopUpStoreTckTest {
  private static TopUpStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.MARIADB);
  }

  @Override
  protected TopUpStore store() {
    return stores[0];
  }

  @Override
  protected TopUpStore secondInstance() {
    return stores[1];
  }
}
