package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.BillingStoreTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole storage kit on POSTGRESQL. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresStoreTckTest extends BillingStoreTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.POSTGRESQL);
    store = TestDatabases.freshStore(Db.POSTGRESQL, "tck_");
  }

  @Override
  protected BillingStore store() {
    return store;
  }
}
