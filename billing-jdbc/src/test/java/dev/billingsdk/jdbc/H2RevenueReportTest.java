package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;

/** The revenue story on H2. */
@Tag("h2")
class H2RevenueReportTest extends AbstractRevenueReportTest {
  @Override
  Db db() {
    return Db.H2;
  }
}
