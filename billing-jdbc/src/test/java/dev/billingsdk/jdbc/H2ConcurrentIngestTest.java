package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;

/** Many threads and two application instances ingesting overlapping usage on H2. */
@Tag("h2")
class H2ConcurrentIngestTest extends AbstractConcurrentIngestTest {
  @Override
  protected Db db() {
    return Db.H2;
  }

  @Override
  protected boolean cursorCreationMayNeedARetry() {
    return true;
  }
}
