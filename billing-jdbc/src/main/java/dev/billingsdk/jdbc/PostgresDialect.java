package dev.billingsdk.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL 12 or later ({@link Dialect#POSTGRESQL}), and the base of a host's dialect for an
 * engine that speaks PostgreSQL: a subclass runs the PostgreSQL migration scripts and SQL, and
 * overrides only what its engine answers otherwise. For example, an engine that reports a
 * transaction it may simply run again with one more SQLState:
 *
 * <pre>{@code
 * final class MyEngineDialect extends PostgresDialect {
 *   public boolean isRetryable(SQLException e) { // overrides PostgreSQL's answer
 *     return super.isRetryable(e) || stateIs(e, "40003");
 *   }
 * }
 *
 * JdbcBillingStore store =
 *     JdbcBillingStore.builder(dataSource).dialect(new MyEngineDialect()).build();
 * }</pre>
 *
 * <p>{@link Dialect#detect} never returns a subclass: a host that wants one names it in the
 * builder.
 */
public class PostgresDialect extends Dialect {
  private static final long MIGRATION_LOCK_ID = 0x62696c6c696e67L; // "billing"

  /** The PostgreSQL dialect; a subclass's constructor calls it. */
  protected PostgresDialect() {
    super("POSTGRESQL", "postgresql", "CAST(? AS jsonb)");
  }

  @Override
  public String nextSequenceSql(String sequence) {
    return "SELECT nextval('" + sequence + "')";
  }

  @Override
  public boolean isRetryable(SQLException e) {
    // serialization_failure, deadlock_detected, lock_not_available
    return stateIs(e, "40001") || stateIs(e, "40P01") || stateIs(e, "55P03");
  }

  @Override
  public String insertIfAbsentSql(
      String table, List<String> columns, List<String> values, List<String> key) {
    // Waits for a concurrent insert of the same key to end, then does nothing if it committed.
    return insert(table, columns, values)
        + " ON CONFLICT ("
        + String.join(", ", key)
        + ") DO NOTHING";
  }

  @Override
  public boolean readsInOneRoundTrip() {
    return true;
  }

  @Override
  public boolean writesInOneStatement() {
    return true;
  }

  @Override
  public String storedName(String table) {
    return table.toLowerCase(Locale.ROOT);
  }

  @Override
  public void lockForMigration(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      // Held until the migration's transaction ends (PostgreSQL's DDL is transactional).
      s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK_ID + ")");
    }
  }
}
