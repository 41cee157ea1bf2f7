package dev.billingsdk.spring.internal;

import dev.billingsdk.jdbc.Dialect;
import dev.billingsdk.jdbc.Schema;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The billing schema, applied or checked once before any JDBC store is built: every store bean
 * depends on this one, so a host that replaces one store (say, {@code BillingStore}) still gets the
 * schema the others need.
 */
public final class SchemaReady {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaReady.class);

  private final Dialect dialect;
  private final String prefix;

  private SchemaReady(Dialect dialect, String prefix) {
    this.dialect = dialect;
    this.prefix = prefix;
  }

  /**
   * Applies the missing migrations ({@code apply}) or checks the version, on {@code dialect} or the
   * one detected from a connection.
   *
   * @throws dev.billingsdk.jdbc.SchemaVersionException if the schema is not at this library's
   *     version
   */
  public static SchemaReady prepare(
      DataSource dataSource, @Nullable Dialect dialect, String prefix, boolean apply) {
    Dialect d = dialect != null ? dialect : detect(dataSource);
    Schema schema = new Schema(d, prefix);
    if (apply) {
      int applied = schema.apply(dataSource);
      if (applied > 0) {
        LOG.info("applied {} billing schema migration(s) with prefix {}", applied, prefix);
      }
    }
    schema.check(dataSource);
    return new SchemaReady(d, prefix);
  }

  private static Dialect detect(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return Dialect.detect(c);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "billing: cannot reach the database to detect its dialect (" + e.getSQLState() + ")", e);
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  public String prefix() {
    return prefix;
  }
}
