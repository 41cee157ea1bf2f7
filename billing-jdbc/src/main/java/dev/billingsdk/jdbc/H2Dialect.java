package dev.billingsdk.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/** {@link Dialect#H2}. */
final class H2Dialect extends Dialect {
  H2Dialect() {
    super("H2", "h2", "?");
  }

  /**
   * H2 2.3 (MVStore) lets a READ COMMITTED or REPEATABLE READ reader see part of a commit: the
   * account's new version beside a reservation or grant row not yet updated, with the version the
   * same before and after, so a snapshot's version check cannot tell. Measured outside the store,
   * one writer committing two rows and two readers: 18,897 of 2.8 million reads mixed two commits
   * in 8 s at READ COMMITTED, 44,885 at REPEATABLE READ, none at SNAPSHOT or SERIALIZABLE.
   */
  @Override
  OptionalInt wholeCommitReadIsolation() {
    return OptionalInt.of(Connection.TRANSACTION_SERIALIZABLE);
  }

  @Override
  public boolean isRetryable(SQLException e) {
    // DEADLOCK_1, LOCK_TIMEOUT_1, CONCURRENT_UPDATE_1, ROW_NOT_FOUND_WHEN_DELETING...
    return codeIs(e, 40001) || codeIs(e, 50200) || codeIs(e, 90131) || stateIs(e, "40001");
  }

  @Override
  public String insertIfAbsentSql(
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
  public String tenantIdIn(String tenantColumn, String idColumn, int n) {
    return "("
        + tenantColumn
        + ", "
        + idColumn
        + ") IN ("
        + String.join(", ", Collections.nCopies(n, "(?, ?)"))
        + ")";
  }

  @Override
  public int bindTenantIds(PreparedStatement s, int from, String tenant, List<String> ids)
      throws SQLException {
    int i = from;
    for (String id : ids) {
      s.setString(i++, tenant);
      s.setString(i++, id);
    }
    return i;
  }

  @Override
  public String storedName(String table) {
    return table.toUpperCase(Locale.ROOT);
  }

  @Override
  public void lockForMigration(Connection c) throws SQLException {
    // H2 has no advisory locks. Migrators in one JVM queue on Schema.apply's in-process lock (an
    // embedded H2 database belongs to one process). Two separate copies of the library (two
    // class loaders, or two processes on an AUTO_SERVER database) starting together are not
    // serialized: the loser fails with "already exists" (StoreFailureException) and must be
    // started again, when it finds the schema current.
  }
}
