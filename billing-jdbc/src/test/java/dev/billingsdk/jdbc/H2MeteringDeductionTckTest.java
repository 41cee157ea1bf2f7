package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.tck.MeteringDeductionTck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The deduction kit on H2. */
@Tag("h2")
class H2MeteringDeductionTckTest extends MeteringDeductionTck {
  private static JdbcBillingStore store;

  @BeforeAll
  static void freshTables() {
    TestDatabases.assumeAvailable(Db.H2);
    store = TestDatabases.freshStore(Db.H2, "mded_");
  }

  @Override
  protected BillingStore store() {
    return store;
  }

  @Override
  protected MeteringStore meteringStore() {
    return store;
  }
}
