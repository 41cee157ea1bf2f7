package dev.billingsdk.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The databases the adapter speaks, and everything that differs between them: where their migration
 * scripts live, how an instant and a JSON document are bound, how the next sequence number is
 * drawn, how a row is inserted unless its key exists, how a keyset page condition is written, how
 * the migration lock is taken, and which errors mean "try again" or "that key is taken". The
 * store's SQL is otherwise the same for all three.
 */
public enum Dialect {
  /** PostgreSQL 12 or later: the production target. */
  POSTGRESQL("postgresql", "CAST(? AS jsonb)") {
    @Override
    String nextSequenceSql(String sequence) {
      return "SELECT nextval('" + sequence + "')";
    }

    @Override
    boolean isRetryable(SQLException e) {
      // serialization_failure, deadlock_detected, lock_not_available
      return stateIs(e, "40001") || stateIs(e, "40P01") || stateIs(e, "55P03");
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
      return stateIs(e, "23505");
    }

    @Override
    String insertIfAbsentSql(
        String table, List<String> columns, List<String> values, List<String> key) {
      // Waits for a concurrent insert of the same key to end, then does nothing if it committed.
      return insert(table, columns, values)
          + " ON CONFLICT ("
          + String.join(", ", key)
          + ") DO NOTHING";
    }

    @Override
    void lockForMigration(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        // Held until the migration's transaction ends (PostgreSQL's DDL is transactional).
        s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK_ID + ")");
      }
    }
  },

  /**
   * MariaDB 10.3 or later (sequences; MySQL has none, so it is not supported); tables use
   * utf8mb4_bin so that ids compare exactly.
   */
  MARIADB("mariadb", "?") {
    @Override
    String nextSequenceSql(String sequence) {
      return "SELECT NEXT VALUE FOR " + sequence;
    }

    @Override
    void bindInstant(PreparedStatement s, int index, @Nullable Instant value) throws SQLException {
      // DATETIME(6) holds UTC wall-clock time; a LocalDateTime is sent without zone conversion.
      s.setObject(index, value == null ? null : LocalDateTime.ofInstant(value, ZoneOffset.UTC));
    }

    @Override
    @Nullable Instant readInstantOrNull(ResultSet rs, String column) throws SQLException {
      LocalDateTime value = rs.getObject(column, LocalDateTime.class);
      return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    @Override
    boolean isRetryable(SQLException e) {
      // ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, and the standard serialization failure
      return codeIs(e, 1213) || codeIs(e, 1205) || stateIs(e, "40001");
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
      return codeIs(e, 1062); // ER_DUP_ENTRY
    }

    @Override
    String insertIfAbsentSql(
        String table, List<String> columns, List<String> values, List<String> key) {
      // A duplicate takes an exclusive lock on the existing row (INSERT IGNORE would take a shared
      // one, and two of those upgraded by the FOR UPDATE that follows deadlock each other).
      return insert(table, columns, values)
          + " ON DUPLICATE KEY UPDATE "
          + key.get(0)
          + " = "
          + key.get(0);
    }

    @Override
    String rowAfter(List<String> columns) {
      // MariaDB's range optimizer does not use an index for a row-value comparison; the
      // equivalent nested form it does.
      return expanded(columns, 0);
    }

    @Override
    int[] rowAfterValues(int n) {
      int[] order = new int[2 * n - 1];
      int i = 0;
      for (int column = 0; column < n; column++) {
        order[i++] = column; // c > ?
        if (column < n - 1) {
          order[i++] = column; // c = ?
        }
      }
      return order;
    }

    @Override
    String hourOf(String column) {
      return "TIMESTAMPDIFF(HOUR, '1970-01-01 00:00:00', " + column + ")";
    }

    @Override
    void lockForMigration(Connection c) throws SQLException {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT GET_LOCK('billing_migration', 120)")) {
        if (!rs.next() || rs.getInt(1) != 1) {
          throw new SQLException("could not take the migration lock within 120 s");
        }
      }
    }

    @Override
    void unlockAfterMigration(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("SELECT RELEASE_LOCK('billing_migration')");
      }
    }
  },

  /** H2 2.x: the embedded default, a file (or in-memory) database with no server. */
  H2("h2", "?") {
    @Override
    String nextSequenceSql(String sequence) {
      return "SELECT NEXT VALUE FOR " + sequence;
    }

    @Override
    boolean isRetryable(SQLException e) {
      // DEADLOCK_1, LOCK_TIMEOUT_1, CONCURRENT_UPDATE_1, ROW_NOT_FOUND_WHEN_DELETING...
      return codeIs(e, 40001) || codeIs(e, 50200) || codeIs(e, 90131) || stateIs(e, "40001");
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
      return stateIs(e, "23505");
    }

    @Override
    String insertIfAbsentSql(
        String table, List<String> columns, List<String> values, List<String> key) {
      List<String> on = key.stream().map(k -> "d." + k + " = s." + k).toList();
      return "MERGE INTO "
          + table
          + " AS d USING (VALUES ("
          + String.join(", ", values)
          + ")) AS s ("
          + String.join(", ", columns)
          + ") ON "
          + String.join(" AND ", on)
          + " WHEN NOT MATCHED THEN INSERT ("
          + String.join(", ", columns)
          + ") VALUES ("
          + String.join(", ", columns.stream().map(c -> "s." + c).toList())
          + ")";
    }

    @Override
    void lockForMigration(Connection c) throws SQLException {
      // H2 has no advisory locks. Migrators in one JVM queue on Schema.apply's in-process lock (an
      // embedded H2 database belongs to one process). Two separate copies of the library (two
      // class loaders, or two processes on an AUTO_SERVER database) starting together are not
      // serialized: the loser fails with "already exists" (StoreFailureException) and must be
      // started again, when it finds the schema current.
    }
  };

  private static final long MIGRATION_LOCK_ID = 0x62696c6c696e67L; // "billing"

  private final String folder;
  private final String jsonParameter;

  Dialect(String folder, String jsonParameter) {
    this.folder = folder;
    this.jsonParameter = jsonParameter;
  }

  /** The classpath folder of this database's migration scripts, e.g. {@code db/billing/h2}. */
  public String scriptFolder() {
    return "db/billing/" + folder;
  }

  /** Detects the dialect from the connection's database product name. */
  public static Dialect detect(Connection connection) throws SQLException {
    dev.billingsdk.InvalidRequestException.requireNonNull(connection, "connection");
    String name = connection.getMetaData().getDatabaseProductName();
    String product = name.toLowerCase(Locale.ROOT);
    if (product.contains("postgres")) {
      return POSTGRESQL;
    }
    if (product.contains("mariadb")) {
      return MARIADB;
    }
    if (product.contains("mysql")) {
      // MySQL has no sequences, which the schema uses for the creation order.
      throw new dev.billingsdk.InvalidRequestException(
          "dataSource",
          name,
          "is MySQL: MySQL is not supported yet (the schema needs sequences, which MariaDB has):"
              + " use MariaDB 10.3 or later, PostgreSQL or H2");
    }
    if (product.contains("h2")) {
      return H2;
    }
    throw new dev.billingsdk.InvalidRequestException(
        "dataSource",
        name,
        "is not a supported database: billing-jdbc speaks PostgreSQL, MariaDB and H2");
  }

  /** The parameter marker for a JSON document bound as text. */
  String jsonParameter() {
    return jsonParameter;
  }

  abstract String nextSequenceSql(String sequence);

  /**
   * An insert of one row ({@code columns} set to {@code values}, SQL expressions such as {@code ?}
   * or {@link #jsonParameter()}) that does nothing when a row with the same {@code key} exists. A
   * concurrent insert of the same key either waits for the other to end (PostgreSQL, MariaDB) or
   * fails as a unique violation (H2), which the store's transaction retries. On MariaDB an existing
   * row ends up locked (FOR UPDATE) by the statement.
   */
  abstract String insertIfAbsentSql(
      String table, List<String> columns, List<String> values, List<String> key);

  static String insert(String table, List<String> columns, List<String> values) {
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", columns)
        + ") VALUES ("
        + String.join(", ", values)
        + ")";
  }

  /**
   * A condition that holds for rows after a position in the order of {@code columns} (keyset
   * paging): {@code (c1, c2) > (?, ?)}. {@link #rowAfterValues} says which of the position's values
   * each parameter takes.
   */
  String rowAfter(List<String> columns) {
    return "(" + String.join(", ", columns) + ") > (" + placeholders(columns.size()) + ")";
  }

  /** For each parameter of {@link #rowAfter}, the index of the position's value it takes. */
  int[] rowAfterValues(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  /** {@code c1 > ? OR (c1 = ? AND (c2 > ? OR (c2 = ? AND ...)))}. */
  static String expanded(List<String> columns, int from) {
    String c = columns.get(from);
    if (from == columns.size() - 1) {
      return c + " > ?";
    }
    return "(" + c + " > ? OR (" + c + " = ? AND " + expanded(columns, from + 1) + "))";
  }

  private static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  /**
   * An expression for the whole hours from 1970-01-01T00:00Z to the instant column {@code column}
   * (its UTC hour, as a number), for grouping by hour in SQL. MariaDB overrides it: its DATETIME
   * columns hold UTC wall-clock times.
   */
  String hourOf(String column) {
    return "CAST(FLOOR(EXTRACT(EPOCH FROM " + column + ") / 3600) AS BIGINT)";
  }

  /** Binds an instant, or SQL NULL. */
  void bindInstant(PreparedStatement s, int index, @Nullable Instant value) throws SQLException {
    s.setObject(index, value == null ? null : OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
  }

  /** Reads a nullable instant column. */
  @Nullable Instant readInstantOrNull(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** Reads an instant column that the schema declares NOT NULL. */
  final Instant readInstant(ResultSet rs, String column) throws SQLException {
    Instant value = readInstantOrNull(rs, column);
    if (value == null) {
      throw new SQLDataException("column " + column + " is null, which the schema forbids");
    }
    return value;
  }

  /** A serialization failure, deadlock or lock timeout: the transaction may simply be run again. */
  abstract boolean isRetryable(SQLException e);

  /** A unique constraint refused a row (an idempotency key, grant or reservation id is taken). */
  abstract boolean isUniqueViolation(SQLException e);

  /** A lost or refused connection: the outcome of an in-flight commit is unknown. */
  boolean isConnectionFailure(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException
          || t instanceof java.sql.SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        // 08: connection exception; 57P01..57P03: the server terminated the session.
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Serializes concurrent migrators; released by {@link #unlockAfterMigration} or the commit. */
  abstract void lockForMigration(Connection c) throws SQLException;

  void unlockAfterMigration(Connection c) throws SQLException {}

  static boolean stateIs(SQLException e, String state) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (state.equals(s.getSQLState())) {
        return true;
      }
    }
    return e.getCause() instanceof SQLException cause && cause != e && stateIs(cause, state);
  }

  static boolean codeIs(SQLException e, int code) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (s.getErrorCode() == code) {
        return true;
      }
    }
    return e.getCause() instanceof SQLException cause && cause != e && codeIs(cause, code);
  }
}
