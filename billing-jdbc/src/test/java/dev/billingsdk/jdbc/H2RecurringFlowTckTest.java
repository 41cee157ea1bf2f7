package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The recurring flow kit on H2, through two instances, each on a pool of its own. */
@Tag("h2")
class H2RecurringFlowTckTest extends AbstractRecurringFlowTckTest {
  private static Stores[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.H2);
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
