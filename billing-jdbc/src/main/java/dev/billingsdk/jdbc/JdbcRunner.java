package dev.billingsdk.jdbc;

import dev.billingsdk.spi.StoreFailureException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link JdbcBillingStore} runs its SQL: on one borrowed connection, either statement by
 * statement in autocommit mode or as one database transaction, run again (bounded, jittered) on a
 * failure that says "try again", and reported as a {@link StoreFailureException} otherwise.
 */
final class JdbcRunner {
  // The store's own logger: retries are logged under the class hosts configure.
  private static final Logger LOG = LoggerFactory.getLogger(JdbcBillingStore.class);

  private final DataSource dataSource;
  private final Dialect dialect;
  private final int maxAttempts;

  JdbcRunner(DataSource dataSource, Dialect dialect, int maxAttempts) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.maxAttempts = maxAttempts;
  }

  /** Work on one connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs an insert of a row that may already exist. A unique-key race lost to another writer (H2
   * reports one even for insert-if-absent) is not an error: the caller reads back the row that won.
   */
  void insertUnlessRaced(String what, Work<Integer> insert) {
    try {
      read(what, insert);
    } catch (StoreFailureException e) {
      if (!(e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql))) {
        throw e;
      }
    }
  }

  /** Runs {@code work} on one connection in autocommit mode (single statements). */
  <T> T read(String what, Work<T> work) {
    return autoCommit(what, work, false);
  }

  /**
   * Runs {@code work}, several reads that must together see each commit whole: in autocommit mode
   * where every statement does, otherwise in one read-only transaction at the dialect's {@link
   * Dialect#wholeCommitReadIsolation} (the connection's isolation is put back after).
   */
  <T> T wholeCommitRead(String what, Work<T> work) {
    OptionalInt isolation = dialect.wholeCommitReadIsolation();
    return isolation.isPresent() ? inTransaction(what, isolation, work) : read(what, work);
  }

  /**
   * Runs {@code work}, one statement that is its own transaction, on one connection in autocommit
   * mode; on a deadlock, serialization failure, lost connection or unique-key race (the statement
   * was undone) runs it again (bounded, jittered), as {@link #transaction} does.
   */
  <T> T statement(String what, Work<T> work) {
    return autoCommit(what, work, true);
  }

  private <T> T autoCommit(String what, Work<T> work, boolean undoneOnUniqueRace) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        return work.run(c);
      } catch (SQLException e) {
        boolean again =
            dialect.isRetryable(e)
                || dialect.isConnectionFailure(e)
                || (undoneOnUniqueRace && dialect.isUniqueViolation(e));
        if (!again || attempt >= maxAttempts) {
          throw StoreSupport.failure(what, e);
        }
        backOff(attempt, what, e);
      }
    }
  }

  /**
   * Runs {@code work} in one database transaction (at the connection's isolation level: the writes
   * lock what they read and need nothing stronger) and commits it; on a deadlock, serialization
   * failure, lost connection or unique-key race rolls back and runs it again (bounded, jittered).
   */
  <T> T transaction(String what, Work<T> work) {
    return inTransaction(what, OptionalInt.empty(), work);
  }

  /** {@link #transaction}, at {@code isolation} when given (the connection's is put back after). */
  private <T> T inTransaction(String what, OptionalInt isolation, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        // Read and set only when asked: pgjdbc answers getTransactionIsolation with a query.
        int level = isolation.isPresent() ? c.getTransactionIsolation() : -1;
        try {
          if (isolation.isPresent()) {
            c.setTransactionIsolation(isolation.getAsInt());
          }
          c.setAutoCommit(false);
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          StoreSupport.rollbackQuietly(c);
          throw e;
        } finally {
          restore(c, autoCommit, level);
        }
      } catch (SQLException e) {
        boolean again =
            dialect.isRetryable(e)
                || dialect.isUniqueViolation(e)
                || dialect.isConnectionFailure(e);
        if (!again || attempt >= maxAttempts) {
          throw StoreSupport.failure(what, e);
        }
        backOff(attempt, what, e);
      }
    }
  }

  /**
   * Puts the connection's auto-commit back, and its isolation unless {@code isolation} is -1 (not
   * changed), unless it is closed; a broken one is left as it is.
   */
  private static void restore(Connection c, boolean autoCommit, int isolation) {
    try {
      if (!c.isClosed()) {
        c.setAutoCommit(autoCommit);
        if (isolation >= 0) {
          c.setTransactionIsolation(isolation);
        }
      }
    } catch (SQLException ignored) {
      // A broken connection is discarded by the pool; nothing to restore.
    }
  }

  private static void backOff(int attempt, String what, SQLException e) {
    LOG.debug("retrying {} after attempt {}: {}", what, attempt, e.toString());
    StoreSupport.backOff(attempt);
  }
}
