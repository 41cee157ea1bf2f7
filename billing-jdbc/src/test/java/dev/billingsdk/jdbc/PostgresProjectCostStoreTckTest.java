package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.ProjectCostStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The project cost kit on Postgres, through two store instances. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresProjectCostStoreTckTest extends AbstractProjectCostStoreTckTest {
  private static ProjectCostStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.POSTGRESQL);
  }

  @Override
  protected ProjectCostStore store() {
    return stores[0];
  }

  @Override
  protected ProjectCostStore secondInstance() {
    return stores[1];
  }
}
