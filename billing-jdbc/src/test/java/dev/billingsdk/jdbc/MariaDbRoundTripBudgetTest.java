package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The round-trip budgets of the hot operations on MariaDB. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbRoundTripBudgetTest extends AbstractRoundTripBudgetTest {
  @Override
  protected Db db() {
    return Db.MARIADB;
  }

  @Override
  protected Map<Op, Budget> ceilings() {
    return MARIADB_CEILINGS;
  }
}
