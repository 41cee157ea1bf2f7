package dev.billingsdk.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link Dialect#MARIADB}. */
final class MariaDbDialect extends Dialect {
  MariaDbDialect() {
    super("MARIADB", "mariadb", "?");
  }

  @Override
  public void bindInstant(PreparedStatement s, int index, @Nullable Instant value)
      throws SQLException {
    // DATETIME(6) holds UTC wall-clock time; a LocalDateTime is sent without zone conversion.
    s.setObject(index, value == null ? null : LocalDateTime.ofInstant(value, ZoneOffset.UTC));
  }

  @Override
  public @Nullable Instant readInstantOrNull(ResultSet rs, String column) throws SQLException {
    LocalDateTime value = rs.getObject(column, LocalDateTime.class);
    return value == null ? null : value.toInstant(ZoneOffset.UTC);
  }

  @Override
  public boolean isRetryable(SQLException e) {
    // ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, and the standard serialization failure
    return codeIs(e, 1213) || codeIs(e, 1205) || stateIs(e, "40001");
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    return codeIs(e, 1062); // ER_DUP_ENTRY
  }

  @Override
  public String insertIfAbsentSql(
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
  public String rowAfter(List<String> columns) {
    // MariaDB's range optimizer does not use an index for a row-value comparison; the
    // equivalent nested form it does.
    return expanded(columns, 0);
  }

  @Override
  public int[] rowAfterValues(int n) {
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
  public String hourOf(String column) {
    return "TIMESTAMPDIFF(HOUR, '1970-01-01 00:00:00', " + column + ")";
  }

  @Override
  public String storedName(String table) {
    return table;
  }

  @Override
  public void lockForMigration(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT GET_LOCK('billing_migration', 120)")) {
      if (!rs.next() || rs.getInt(1) != 1) {
        throw new SQLException("could not take the migration lock within 120 s");
      }
    }
  }

  @Override
  public void unlockAfterMigration(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT RELEASE_LOCK('billing_migration')");
    }
  }
}
