package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billingsdk.jdbc.TestDatabases.Db;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link CountingDataSource}'s round-trip rules, checked against the wire: a connection whose
 * socket counts exchanges ({@link WireCountingSocketFactory}) runs each kind of call the rules
 * name, and for every step the rules' count must equal the socket's. If a driver upgrade changes
 * what it sends (a lazy {@code BEGIN} made eager, a batch no longer pipelined), this fails, and the
 * budgets of {@link AbstractRoundTripBudgetTest} must be read again. One subclass per server
 * database (H2 embedded has no wire).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractCountingRulesTest {
  private static final String TABLE = "rtw_rows";

  private HikariDataSource pool;
  private CountingDataSource counting;

  protected abstract Db db();

  @BeforeAll
  void onePooledConnectionWithACountingSocket() throws SQLException {
    TestDatabases.assumeAvailable(db());
    String url = db().url().orElseThrow();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(
        url
            + (url.contains("?") ? "&" : "?")
            + "socketFactory="
            + WireCountingSocketFactory.class.getName());
    config.setMaximumPoolSize(1);
    config.setMinimumIdle(0);
    config.setPoolName("billing-test-wire-" + db().name());
    pool = new HikariDataSource(config);
    counting = new CountingDataSource(pool, db());
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + TABLE);
      s.execute("CREATE TABLE " + TABLE + " (id INT NOT NULL, label VARCHAR(40) NOT NULL)");
    }
  }

  @AfterAll
  void close() {
    if (pool != null) {
      pool.close();
    }
  }

  /** A step on the lent connection; both counts start from zero. */
  @FunctionalInterface
  interface Step {
    void run() throws SQLException;
  }

  /** Runs {@code step} and checks that the rules counted what went over the wire. */
  private void step(String name, long expected, Step step) throws SQLException {
    counting.reset();
    WireCountingSocketFactory.reset();
    step.run();
    long rules = counting.snapshot().roundTrips();
    long wire = WireCountingSocketFactory.exchanges();
    System.out.println(
        "counting-rules db=" + db().name() + " step=" + name + " rules=" + rules + " wire=" + wire);
    assertThat(rules).as("%s on %s: the rules against the wire", name, db()).isEqualTo(wire);
    assertThat(rules).as("%s on %s: the documented rule", name, db()).isEqualTo(expected);
  }

  /** What {@code setAutoCommit} costs on this database when it changes the mode. */
  private long autoCommitChange() {
    return db() == Db.MARIADB ? 1 : 0;
  }

  @Test
  void everyRuleCountsWhatGoesOverTheWire() throws SQLException {
    try (Connection c = counting.getConnection()) {
      String insert = "INSERT INTO " + TABLE + " (id, label) VALUES (?, ?)";
      try (PreparedStatement ps = c.prepareStatement(insert);
          PreparedStatement select =
              c.prepareStatement("SELECT COUNT(*) FROM " + TABLE + " WHERE id >= ?");
          Statement plain = c.createStatement()) {
        step(
            "query",
            1,
            () -> {
              try (ResultSet rs = plain.executeQuery("SELECT 1")) {
                rs.next();
              }
            });
        step(
            "prepared-query-10-times",
            10,
            () -> {
              for (int i = 0; i < 10; i++) {
                select.setInt(1, i);
                try (ResultSet rs = select.executeQuery()) {
                  rs.next();
                }
              }
            });
        step("batch-10-autocommit", 1, () -> batch(ps, 0, 10));
        step("setAutoCommit-false", autoCommitChange(), () -> c.setAutoCommit(false));
        step("first-statement-of-a-transaction", 1, () -> batchOne(ps, 100));
        // pgjdbc stops to read the answers when 255 are outstanding and another is to go.
        long[][] batches = {{255, 1}, {256, 2}, {510, 2}, {511, 3}, {1_000, 4}, {1_021, 5}};
        for (long[] b : batches) {
          int n = (int) b[0];
          step("batch-" + n, db() == Db.POSTGRESQL ? b[1] : 1, () -> batch(ps, 1_000, n));
        }
        step("commit", 1, c::commit);
        step("commit-with-nothing-run", 0, c::commit);
        step("rollback-with-nothing-run", 0, c::rollback);
        step(
            "statement-then-rollback",
            2,
            () -> {
              batchOne(ps, 200);
              c.rollback();
            });
        step(
            "statement-then-setAutoCommit-true",
            2,
            () -> {
              batchOne(ps, 300);
              c.setAutoCommit(true);
            });
        step("setAutoCommit-true-again", 0, () -> c.setAutoCommit(true));
        step(
            "transaction-with-nothing-run",
            2 * autoCommitChange(),
            () -> {
              c.setAutoCommit(false);
              c.commit();
              c.setAutoCommit(true);
            });
      }
    }
  }

  private static void batch(PreparedStatement ps, int from, int n) throws SQLException {
    for (int i = 0; i < n; i++) {
      ps.setInt(1, from + i);
      ps.setString(2, "row " + (from + i));
      ps.addBatch();
    }
    ps.executeBatch();
  }

  private static void batchOne(PreparedStatement ps, int id) throws SQLException {
    ps.setInt(1, id);
    ps.setString(2, "one");
    ps.executeUpdate();
  }
}
