package dev.billingsdk.jdbc;

import dev.billingsdk.jdbc.TestDatabases.Db;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;

/**
 * The test JVM and a second JVM writing the same keys and accounts on H2. The suites' in-memory H2
 * belongs to one JVM, and an embedded file database can be opened by one process only, so both
 * processes use a file database in AUTO_SERVER mode: the test JVM opens it first and serves it, the
 * child reaches it over H2's TCP server.
 */
@Tag("h2")
class H2TwoProcessConcurrencyTest extends AbstractTwoProcessConcurrencyTest {
  private final String url;

  H2TwoProcessConcurrencyTest() {
    try {
      Path dir = Files.createTempDirectory(Path.of("target"), "h2-two-jvm-");
      url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("billing") + ";AUTO_SERVER=TRUE";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Db db() {
    return Db.H2;
  }

  @Override
  protected String url() {
    return url;
  }

  @Override
  protected void clean(DataSource dataSource) {
    // A new database file in a new folder: nothing to drop.
  }
}
