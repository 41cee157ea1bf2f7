package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.ChargeBatchTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The batched-charge kit on PostgreSQL. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresChargeBatchTckTest extends ChargeBatchTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.POSTGRESQL);
    store = TestDatabases.freshStore(Db.POSTGRESQL, "cbat_");
  }

  @Override
  protected BillingStore store() {
    return store;
  }
}
