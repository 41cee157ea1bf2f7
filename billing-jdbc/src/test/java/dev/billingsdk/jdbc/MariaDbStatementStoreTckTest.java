package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.StatementStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The statement kit on MariaDb, through two statement store instances. */
@Tag("mariadb")
class MariaDbStatementStoreTckTest extends AbstractStatementStoreTckTest {
  private static Stores stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.MARIADB);
  }

  @Override
  protected BillingStore ledger() {
    return stores.ledger();
  }

  @Override
  protected StatementStore store() {
    return stores.main();
  }

  @Override
  protected StatementStore secondInstance() {
    return stores.second();
  }
}
