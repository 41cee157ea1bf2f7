package dev.billingsdk.ledger;

import java.sql.Connection;
import java.sql.SQLException;

/** A deliberate violation, for {@code ArchitectureRulesCanFailTest}: core touching JDBC. */
final class ArchFixtureLedgerUsingJdbc {
  void close(Connection connection) throws SQLException {
    connection.close();
  }
}
