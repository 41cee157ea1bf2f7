package dev.billingsdk.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The billing schema of one dialect and table prefix: the versioned scripts that ship under {@code
 * db/billing/<dialect>/V<n>__<description>.sql} (Flyway's naming, with the table prefix as the
 * placeholder {@code ${prefix}}), what version a database is at, and applying what is missing.
 * Every script records its own version in {@code <prefix>schema_version}, so the version is known
 * whichever tool applied the scripts.
 */
public final class Schema {
  /** The schema version this library reads and writes. */
  public static final int VERSION = 13;

  /** The default table prefix. */
  public static final String DEFAULT_PREFIX = "billing_";

  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,19}");

  /** The scripts, oldest first; a new version appends its file here and bumps {@link #VERSION}. */
  private static final List<String> SCRIPTS =
      List.of(
          "V1__billing_schema.sql",
          "V2__metering.sql",
          "V3__account_external_key.sql",
          "V4__catalogue.sql",
          "V5__purchases.sql",
          "V6__economy.sql",
          "V7__subscriptions.sql",
          "V8__top_ups.sql",
          "V9__statements.sql",
          "V10__project_costs.sql",
          "V11__revenue.sql",
          "V12__write_path.sql",
          "V13__invoice_applications.sql");

  private final Dialect dialect;
  private final String prefix;

  public Schema(Dialect dialect, String prefix) {
    this.dialect = dev.billingsdk.InvalidRequestException.requireNonNull(dialect, "dialect");
    this.prefix = checkPrefix(prefix);
  }

  /** Returns the prefix if it is usable in every dialect, or throws naming it. */
  public static String checkPrefix(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new dev.billingsdk.InvalidRequestException(
          "tablePrefix",
          prefix,
          "must be a lower-case letter then up to 19 lower-case letters, digits or '_'");
    }
    return prefix;
  }

  public Dialect dialect() {
    return dialect;
  }

  public String prefix() {
    return prefix;
  }

  /** The classpath resources of this dialect's scripts, oldest first. */
  public List<String> scriptResources() {
    return SCRIPTS.stream().map(s -> dialect.scriptFolder() + "/" + s).toList();
  }

  /** The statements of one script with the prefix filled in. */
  List<String> statements(int version) {
    String resource = scriptResources().get(version - 1);
    String text;
    try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing schema script " + resource);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\n")) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String s : sql.toString().replace("${prefix}", prefix).split(";\\s*\n")) {
      if (!s.isBlank()) {
        statements.add(s.strip());
      }
    }
    return statements;
  }

  /** The version the database is at: 0 when the schema is not installed. */
  public int currentVersion(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return currentVersion(c);
    } catch (SQLException e) {
      throw new dev.billingsdk.spi.StoreFailureException(
          "could not read the billing schema version: " + e.getMessage(), e);
    }
  }

  int currentVersion(Connection c) throws SQLException {
    if (!tableExists(c, prefix + "schema_version")) {
      return 0;
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + prefix + "schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private boolean tableExists(Connection c, String table) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    String name = dialect.storedName(table);
    String catalog = dialect == Dialect.MARIADB ? c.getCatalog() : null;
    String schema = dialect == Dialect.MARIADB ? null : c.getSchema();
    try (ResultSet rs = meta.getTables(catalog, schema, name, new String[] {"TABLE"})) {
      while (rs.next()) {
        if (rs.getString("TABLE_NAME").equals(name)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Throws unless the database is at exactly {@link #VERSION}. */
  public void check(DataSource dataSource) {
    int found = currentVersion(dataSource);
    if (found != VERSION) {
      throw new SchemaVersionException(prefix, found, VERSION);
    }
  }

  /**
   * Applies the scripts the database has not had, under the dialect's migration lock, so that two
   * instances starting together apply each once; refuses a schema newer than {@link #VERSION}.
   *
   * @return how many scripts were applied (0 when the schema was current)
   */
  public int apply(DataSource dataSource) {
    // In-process racers queue here; other processes queue on the dialect's database lock.
    synchronized (Schema.class) {
      return applyWithLock(dataSource);
    }
  }

  private int applyWithLock(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        dialect.lockForMigration(c);
        try {
          int applied = applyLocked(c);
          c.commit();
          return applied;
        } finally {
          dialect.unlockAfterMigration(c);
        }
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new dev.billingsdk.spi.StoreFailureException(
          "could not apply the billing schema: " + e.getMessage(), e);
    }
  }

  private int applyLocked(Connection c) throws SQLException {
    int found = currentVersion(c);
    if (found > VERSION) {
      throw new SchemaVersionException(prefix, found, VERSION);
    }
    int applied = 0;
    for (int version = found + 1; version <= VERSION; version++) {
      try (Statement s = c.createStatement()) {
        for (String sql : statements(version)) {
          s.execute(sql);
        }
      }
      applied++;
    }
    return applied;
  }
}
