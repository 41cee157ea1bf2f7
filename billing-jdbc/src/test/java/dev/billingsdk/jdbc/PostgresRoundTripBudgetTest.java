package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The round-trip budgets of the hot operations on PostgreSQL. */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
class PostgresRoundTripBudgetTest extends AbstractRoundTripBudgetTest {
  @Override
  protected Db db() {
    return Db.POSTGRESQL;
  }

  @Override
  protected Map<Op, Budget> ceilings() {
    return POSTGRESQL_CEILINGS;
  }
}
