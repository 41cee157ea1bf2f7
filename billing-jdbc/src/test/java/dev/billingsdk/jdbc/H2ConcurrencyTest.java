package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;

/** Many threads and two application instances debiting on H2. */
class H2ConcurrencyTest extends AbstractConcurrencyTest {
  @Override
  protected Db db() {
    return Db.H2;
  }
}
