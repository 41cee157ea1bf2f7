package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;

/** The JDBC metering store's own rules on H2. */
@Tag("h2")
class H2MeteringStoreTest extends AbstractMeteringStoreTest {
  @Override
  protected Db db() {
    return Db.H2;
  }
}
