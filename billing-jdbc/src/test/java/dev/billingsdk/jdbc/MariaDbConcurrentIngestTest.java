package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many threads and two application instances ingesting overlapping usage on MariaDB. */
@Tag("mariadb")
@ExtendWith(DatabaseAvailable.MariaDb.class)
class MariaDbConcurrentIngestTest extends AbstractConcurrentIngestTest {
  @Override
  protected Db db() {
    return Db.MARIADB;
  }
}
