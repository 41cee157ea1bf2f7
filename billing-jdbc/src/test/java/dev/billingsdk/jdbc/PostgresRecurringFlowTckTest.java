package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The recurring flow kit on Postgres, through two instances, each on a pool of its own. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresRecurringFlowTckTest extends AbstractRecurringFlowTckTest {
  private static Stores[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.POSTGRESQL);
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
