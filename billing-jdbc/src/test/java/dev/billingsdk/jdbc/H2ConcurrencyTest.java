package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;

/** Many threads and two application instances debiting on H2. */
@Tag("h2")
class H2ConcurrencyTest extends AbstractConcurrencyTest {
  @Override
  protected Db db() {
    return Db.H2;
  }
}
