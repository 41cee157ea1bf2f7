package dev.billingsdk.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The databases the adapter speaks, and everything that differs between them: where their migration
 * scripts live, how an instant and a JSON document are bound, how the next sequence number is
 * drawn, how a row is inserted unless its key exists, how a keyset page condition is written, how
 * the migration lock is taken, and which errors mean "try again" or "that key is taken". The
 * store's SQL is otherwise the same for all three.
 *
 * <p>The built-ins are {@link #POSTGRESQL}, {@link #MARIADB} and {@link #H2}. A host on an engine
 * that speaks PostgreSQL but answers differently in a detail (another SQLState for a transaction it
 * may simply run again, another migration lock) subclasses {@link PostgresDialect}, overrides what
 * differs, and passes an instance to {@link JdbcBillingStore.Builder#dialect}: the stores then run
 * the PostgreSQL scripts and SQL with the subclass's answers. No other base can be subclassed, as
 * the schema's scripts exist for these three databases only.
 *
 * <p>The methods are called by the stores with connections and statements they own; an override
 * must not close them, commit or roll back.
 */
public abstract class Dialect {
  /** PostgreSQL 12 or later: the production target. */
  public static final Dialect POSTGRESQL = new PostgresDialect();

  /**
   * MariaDB 10.3 or later (sequences; MySQL has none, so it is not supported); tables use
   * utf8mb4_bin so that ids compare exactly.
   */
  public static final Dialect MARIADB = new MariaDbDialect();

  /** H2 2.x: the embedded default, a file (or in-memory) database with no server. */
  public static final Dialect H2 = new H2Dialect();

  private final String name;
  private final String folder;
  private final String jsonParameter;

  /**
   * Only the three databases' classes in this package; a host subclasses {@link PostgresDialect}.
   */
  Dialect(String name, String folder, String jsonParameter) {
    this.name = name;
    this.folder = folder;
    this.jsonParameter = jsonParameter;
  }

  /** The classpath folder of this database's migration scripts, e.g. {@code db/billing/h2}. */
  public final String scriptFolder() {
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
  public String jsonParameter() {
    return jsonParameter;
  }

  /**
   * A query whose single row and column is the next value of the sequence named {@code sequence}:
   * the SQL standard's {@code NEXT VALUE FOR} unless the database spells it otherwise.
   */
  public String nextSequenceSql(String sequence) {
    return "SELECT NEXT VALUE FOR " + sequence;
  }

  /**
   * An insert of one row ({@code columns} set to {@code values}, SQL expressions such as {@code ?}
   * or {@link #jsonParameter()}) that does nothing when a row with the same {@code key} exists. A
   * concurrent insert of the same key either waits for the other to end (PostgreSQL, MariaDB) or
   * fails as a unique violation (H2), which the store's transaction retries. On MariaDB an existing
   * row ends up locked (FOR UPDATE) by the statement.
   */
  public abstract String insertIfAbsentSql(
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
  public String rowAfter(List<String> columns) {
    return "(" + String.join(", ", columns) + ") > (" + placeholders(columns.size()) + ")";
  }

  /**
   * A condition that picks the rows of one tenant whose id is one of {@code n}: {@code tenant = ?
   * AND id IN (?, ...)}, for a table whose key starts (tenant, id). {@link #bindTenantIds} binds
   * it. H2 overrides it with the pairs written out ({@code (tenant, id) IN ((?, ?), ...)}): it
   * looks an IN list up in an index only on the index's first column, and reads every row of the
   * tenant for the other form.
   */
  public String tenantIdIn(String tenantColumn, String idColumn, int n) {
    return tenantColumn + " = ? AND " + idColumn + " IN (" + placeholders(n) + ")";
  }

  /**
   * Binds {@link #tenantIdIn}'s parameters from index {@code from}; returns the next free index.
   */
  public int bindTenantIds(PreparedStatement s, int from, String tenant, List<String> ids)
      throws SQLException {
    int i = from;
    s.setString(i++, tenant);
    for (String id : ids) {
      s.setString(i++, id);
    }
    return i;
  }

  /** For each parameter of {@link #rowAfter}, the index of the position's value it takes. */
  public int[] rowAfterValues(int n) {
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
  public String hourOf(String column) {
    return "CAST(FLOOR(EXTRACT(EPOCH FROM " + column + ") / 3600) AS BIGINT)";
  }

  /**
   * Whether the database answers several SELECTs sent in one prepared statement, separated by
   * semicolons, in one round trip (pgjdbc does): then the read a write is decided on (the key probe
   * and the account's snapshot) costs one round trip. False here; the PostgreSQL dialect says true.
   */
  public boolean readsInOneRoundTrip() {
    return false;
  }

  /**
   * Whether one ledger write can be one data-modifying statement: {@code WITH} parts that update
   * and insert (the account update with its version check driving the rest, {@code INSERT ...
   * SELECT ... ON CONFLICT DO NOTHING}, {@code UPDATE ... FROM unnest(CAST(? AS bigint[]))}),
   * including one table written by two parts (grants updated and inserted). False here; the
   * PostgreSQL dialect says true. An engine that refuses a table written twice in one statement
   * overrides it with false, and its writes take the batch path (lock, check, write).
   */
  public boolean writesInOneStatement() {
    return false;
  }

  /**
   * The isolation at which a read of several statements (an account's snapshot: its row, grants,
   * reservations and version again) must run, in one read-only transaction, to see each other
   * transaction's commit whole; empty when every autocommit statement already does (PostgreSQL,
   * MariaDB), so the read needs no transaction.
   */
  OptionalInt wholeCommitReadIsolation() {
    return OptionalInt.empty();
  }

  /** An unquoted table name as the database's metadata reports it (the case it folds names to). */
  public abstract String storedName(String table);

  /** Binds an instant, or SQL NULL. */
  public void bindInstant(PreparedStatement s, int index, @Nullable Instant value)
      throws SQLException {
    s.setObject(index, value == null ? null : OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
  }

  /** Reads a nullable instant column. */
  public @Nullable Instant readInstantOrNull(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** Reads an instant column that the schema declares NOT NULL. */
  public final Instant readInstant(ResultSet rs, String column) throws SQLException {
    Instant value = readInstantOrNull(rs, column);
    if (value == null) {
      throw new SQLDataException("column " + column + " is null, which the schema forbids");
    }
    return value;
  }

  /**
   * A serialization failure, deadlock or lock timeout: the transaction may simply be run again (the
   * stores do, a bounded number of times with jittered back-off).
   */
  public abstract boolean isRetryable(SQLException e);

  /**
   * A unique constraint refused a row (an idempotency key, grant or reservation id is taken): the
   * SQL standard's state 23505 unless the database reports it otherwise.
   */
  public boolean isUniqueViolation(SQLException e) {
    return stateIs(e, "23505");
  }

  /** A lost or refused connection: the outcome of an in-flight commit is unknown. */
  public boolean isConnectionFailure(SQLException e) {
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

  /**
   * Serializes concurrent migrators on {@code c}, inside the migration's transaction; released by
   * {@link #unlockAfterMigration} or when that transaction ends.
   */
  public abstract void lockForMigration(Connection c) throws SQLException;

  /** Releases what {@link #lockForMigration} took, if its transaction's end does not. */
  public void unlockAfterMigration(Connection c) throws SQLException {}

  /** Whether {@code e}, a chained exception or a cause carries SQLState {@code state}. */
  protected static boolean stateIs(SQLException e, String state) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (state.equals(s.getSQLState())) {
        return true;
      }
    }
    return e.getCause() instanceof SQLException cause && cause != e && stateIs(cause, state);
  }

  /**
   * Whether {@code e}, a chained exception or a cause carries the vendor error code {@code code}.
   */
  protected static boolean codeIs(SQLException e, int code) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (s.getErrorCode() == code) {
        return true;
      }
    }
    return e.getCause() instanceof SQLException cause && cause != e && codeIs(cause, code);
  }

  /** The built-in's constant name ({@code POSTGRESQL}, {@code MARIADB}, {@code H2}). */
  @Override
  public String toString() {
    return name;
  }
}
