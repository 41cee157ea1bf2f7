package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.WriteBasisTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The write-basis kit on PostgreSQL, in tables of its own. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresWriteBasisTckTest extends WriteBasisTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.POSTGRESQL);
    store = TestDatabases.freshStore(Db.POSTGRESQL, "wbasis_");
  }

  @Override
  protected BillingStore store() {
    return store;
  }
}
