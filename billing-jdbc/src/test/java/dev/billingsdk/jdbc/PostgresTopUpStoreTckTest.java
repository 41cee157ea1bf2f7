package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.TopUpStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The top-up kit on Postgres, through two store instances. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresTopUpStoreTckTest extends AbstractTopUpStoreTckTest {
  private static TopUpStore[] stores;

  @BeforeAll
  static void freshTables() {
    stores = fresh(Db.POSTGRESQL);
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
