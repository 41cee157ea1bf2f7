package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.TopUpStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The top-up kit on H2, through two store instances. */
@Tag("h2")
class H2TopUpStoreTckTest extends AbstractTopUpStoreTckTest {
  private static TopUpStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.H2);
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
