package dev.billingsdk.bench.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billingsdk.jdbc.Dialect;
import dev.billingsdk.jdbc.JdbcBillingStore;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One database under test: its JDBC URL, a HikariCP pool on it, and the few things that differ
 * between PostgreSQL, MariaDB and H2 in the benchmarks' own SQL.
 */
final class Database implements AutoCloseable {
  /** The billing tables of a store (after the prefix), children first, for dropping. */
  // Every table the shipped migrations create, tables that reference others first. A table left
  // out here survives a drop and makes the next schema apply fail ("already exists").
  private static final String[] STORE_TABLES = {
    "economy_settings",
    "closed_statements",
    "partner_modules",
    "payouts",
    "project_cost_labels",
    "project_costs",
    "referral_months",
    "referrals",
    "subscription_changes",
    "subscriptions",
    "top_up_rules",
    "provider_events",
    "purchase_transitions",
    "purchases",
    "catalogue_versions",
    "rated_lines",
    "rating_cursors",
    "usage_events",
    "meters",
    "postings",
    "outbox",
    "reservations",
    "transactions",
    "grants",
    "accounts",
    "schema_version"
  };

  final String name;
  final Dialect dialect;
  final String url;
  private final HikariDataSource pool;

  private Database(String name, Dialect dialect, String url, int poolSize) {
    this.name = name;
    this.dialect = dialect;
    this.url = url;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(0);
    config.setPoolName("bench-" + name.toLowerCase(Locale.ROOT));
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(-1);
    this.pool = new HikariDataSource(config);
  }

  /**
   * Opens a pool on {@code url} and checks that the database answers; empty with the reason in
   * {@code why} when it does not.
   */
  static Optional<Database> open(
      String name, Dialect dialect, String url, int poolSize, StringBuilder why) {
    Database db = new Database(name, dialect, url, poolSize);
    try (Connection c = db.connection()) {
      if (!c.isValid(5)) {
        throw new SQLException("connection is not valid");
      }
      return Optional.of(db);
    } catch (SQLException | RuntimeException e) {
      why.append(redacted(url)).append(" is unreachable: ").append(e.getMessage());
      db.close();
      return Optional.empty();
    }
  }

  HikariDataSource dataSource() {
    return pool;
  }

  Connection connection() throws SQLException {
    return pool.getConnection();
  }

  /** The server's product name and version, as its driver reports them. */
  String serverVersion() throws SQLException {
    try (Connection c = connection()) {
      DatabaseMetaData md = c.getMetaData();
      return md.getDatabaseProductName()
          + " "
          + md.getDatabaseProductVersion()
          + " (driver "
          + md.getDriverName()
          + " "
          + md.getDriverVersion()
          + ")";
    }
  }

  /** Drops every billing table and the sequence under {@code prefix}. */
  void dropStore(String prefix) throws SQLException {
    try (Connection c = connection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      for (String table : STORE_TABLES) {
        s.execute("DROP TABLE IF EXISTS " + prefix + table);
      }
      s.execute("DROP SEQUENCE IF EXISTS " + prefix + "sequence");
    }
  }

  /** A store on fresh tables under {@code prefix}: dropped, then the shipped schema applied. */
  JdbcBillingStore freshStore(String prefix) throws SQLException {
    dropStore(prefix);
    return store(prefix);
  }

  /** A store under {@code prefix}, applying the schema where it is missing. */
  JdbcBillingStore store(String prefix) {
    return JdbcBillingStore.builder(pool)
        .dialect(dialect)
        .tablePrefix(prefix)
        .applySchema(true)
        .build();
  }

  void execute(String... sql) throws SQLException {
    try (Connection c = connection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  /** The ledger tables a charge reads and writes. */
  private static final String[] LEDGER_TABLES = {
    "accounts", "grants", "transactions", "postings", "reservations", "outbox"
  };

  /**
   * Gives the ledger tables under {@code prefix} fresh statistics (and, on PostgreSQL, clears the
   * dead rows of the load), as a server's autovacuum would soon after a bulk load. Without it a
   * server with autovacuum off (this machine's PostgreSQL has it off) plans every statement on
   * empty-table estimates for the whole run.
   */
  void analyzeLedger(String prefix) throws SQLException {
    for (String table : LEDGER_TABLES) {
      execute(
          (dialect == Dialect.POSTGRESQL ? "VACUUM (ANALYZE) " : "ANALYZE TABLE ")
              + prefix
              + table);
    }
  }

  /** PostgreSQL's autovacuum setting, or empty elsewhere. */
  Optional<String> autovacuum() throws SQLException {
    if (dialect != Dialect.POSTGRESQL) {
      return Optional.empty();
    }
    try (Connection c = connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW autovacuum")) {
      return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
    }
  }

  /** True when SQLState says the transaction lost a deadlock or serialization race. */
  static boolean isRetryable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if (state != null
            && (state.equals("40001") || state.equals("40P01") || state.startsWith("40"))) {
          return true;
        }
        if (s.getErrorCode() == 1213 || s.getErrorCode() == 1205) {
          return true; // MariaDB: deadlock, lock wait timeout
        }
      }
    }
    return false;
  }

  /** Host, port, user, password and database of a {@code jdbc:postgresql://} URL. */
  static Map<String, String> postgresParts(String jdbcUrl) {
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("host", uri.getHost() == null ? "localhost" : uri.getHost());
    parts.put("port", Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()));
    String path = uri.getPath() == null ? "" : uri.getPath();
    parts.put("database", path.startsWith("/") ? path.substring(1) : path);
    String query = uri.getRawQuery();
    if (query != null) {
      for (String kv : query.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          parts.put(
              URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return parts;
  }

  static String redacted(String url) {
    return url.replaceAll("password=[^&;]*", "password=***");
  }

  @Override
  public void close() {
    pool.close();
  }
}
