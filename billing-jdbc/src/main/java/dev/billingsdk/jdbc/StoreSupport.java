package dev.billingsdk.jdbc;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.spi.StoreFailureException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * What the stores beside {@link JdbcBillingStore} share: how they start on a data source (the
 * dialect detected, the schema checked), how they back off before running a transaction again, and
 * the test that a looked-up key could be stored at all.
 */
final class StoreSupport {
  /** Runs of one write on a deadlock, serialization failure or lock timeout, as the ledger's. */
  static final int MAX_ATTEMPTS = 8;

  private StoreSupport() {}

  /**
   * The dialect of {@code dataSource}, whose schema under {@code prefix} must be at {@link
   * Schema#VERSION}.
   */
  static Dialect start(DataSource dataSource, String prefix) {
    InvalidRequestException.requireNonNull(dataSource, "dataSource");
    Dialect dialect = detect(dataSource);
    new Schema(dialect, prefix).check(dataSource);
    return dialect;
  }

  /** The dialect of {@code dataSource}, detected on a connection borrowed for it. */
  static Dialect detect(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return Dialect.detect(c);
    } catch (SQLException e) {
      throw new StoreFailureException("could not connect to detect the dialect", e);
    }
  }

  /**
   * Whether {@code value} is an identifier the input contract accepts. A key that is not one was
   * never stored, and is not looked up: on MariaDB (PAD SPACE collations) {@code 'ref '} would
   * otherwise find {@code 'ref'}.
   */
  static boolean isIdentifier(String value) {
    try {
      Identifiers.check(value, "key");
      return true;
    } catch (InvalidRequestException e) {
      return false;
    }
  }

  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is gone or broken: the database has rolled back already.
    }
  }

  /** Puts the connection's auto-commit back as the pool lent it; a broken one is left as it is. */
  static void restore(Connection c, boolean autoCommit) {
    try {
      c.setAutoCommit(autoCommit);
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it.
    }
  }

  /** Waits a jittered time that grows with {@code attempt}, before running a write again. */
  static void backOff(int attempt) {
    long ceilingNanos = Math.min(200_000_000L, 1_000_000L << Math.min(attempt, 8));
    LockSupport.parkNanos(ceilingNanos / 2 + ThreadLocalRandom.current().nextLong(ceilingNanos));
  }

  static StoreFailureException failure(String what, SQLException e) {
    return new StoreFailureException(
        "database failure while " + what + " (" + e.getSQLState() + "): " + e.getMessage(), e);
  }
}
