package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The recurring flow kit on MariaDb, through two instances, each on a pool of its own. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbRecurringFlowTckTest extends AbstractRecurringFlowTckTest {
  private static Stores[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.MARIADB);
  }

  @Override
  protected Stores first() {
    return stores[0];
  }

  @Override
  protected Stores second() {
    return stores[1];
  }
}
