package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import java.util.Map;
import org.junit.jupiter.api.Tag;

/** The round-trip budgets of the hot operations on H2 (calls counted as if over a network). */
@Tag("h2")
class H2RoundTripBudgetTest extends AbstractRoundTripBudgetTest {
  @Override
  protected Db db() {
    return Db.H2;
  }

  @Override
  protected Map<Op, Budget> ceilings() {
    return H2_CEILINGS;
  }
}
