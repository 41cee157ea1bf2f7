package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.tck.TckFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every query a listing, sweep or write needs can be answered from an index: with sequential scans
 * priced out, PostgreSQL's plan for each uses the index the schema made for it (on a table this
 * small the planner would otherwise scan, which proves nothing either way).
 */
class PostgresIndexUsageTest {
  private static final String P = "idx_";
  private static DataSource ds;
  private static String tenant;
  private static String account;

  @BeforeAll
  static void tables() {
    TestDatabases.assumeAvailable(Db.POSTGRESQL);
    JdbcBillingStore store = TestDatabases.freshStore(Db.POSTGRESQL, P);
    ds = TestDatabases.pool(Db.POSTGRESQL, "main", 16);
    // Some rows, so that the tables and their statistics exist.
    TckFixture f = new TckFixture(store);
    var acct = f.open("acct");
    f.grant(acct, 1_000, g -> {});
    for (int i = 0; i < 300; i++) {
      f.charge(acct, dev.billingsdk.credit.ChargeKind.USAGE, "m1", 1);
    }
    tenant = f.tenant.value();
    account = acct.value();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String t :
          new String[] {"accounts", "grants", "transactions", "postings", "reservations"}) {
        s.execute("ANALYZE " + P + t);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String plan(String sql) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL enable_seqscan = off");
      }
      StringBuilder plan = new StringBuilder();
      try (PreparedStatement s = c.prepareStatement("EXPLAIN " + sql);
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      c.rollback();
      return plan.toString();
    }
  }

  @Test
  void historyIsServedByTheAccountSequenceIndex() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "transactions WHERE tenant = '"
                    + tenant
                    + "' AND account_id = '"
                    + account
                    + "' AND sequence < 100"
                    + " ORDER BY sequence DESC LIMIT 50"))
        .contains(P + "transactions_history")
        .doesNotContain("Seq Scan")
        .doesNotContain("Sort");
  }

  @Test
  void anIdempotencyKeyIsFoundByItsUniqueIndex() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "transactions WHERE tenant = '"
                    + tenant
                    + "' AND idempotency_key = 'k'"))
        .contains(P + "transactions_key")
        .doesNotContain("Seq Scan");
  }

  @Test
  void correctionsAreServedByTheCorrectsIndex() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "transactions WHERE tenant = '"
                    + tenant
                    + "' AND corrects = 'x' ORDER BY sequence"))
        .contains(P + "transactions_corrects")
        .doesNotContain("Seq Scan");
  }

  @Test
  void aSnapshotReadsOnlyLiveGrantsThroughTheLiveIndex() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "grants WHERE tenant = '"
                    + tenant
                    + "' AND account_id = '"
                    + account
                    + "' AND remaining > 0"))
        .contains(P + "grants_live")
        .doesNotContain("Seq Scan");
  }

  @Test
  void theExpirySweepWalksTheExpiringIndexInSequenceOrder() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "grants WHERE tenant = '"
                    + tenant
                    + "' AND remaining > 0 AND NOT voided"
                    + " AND expires_at IS NOT NULL AND expires_at <= now() AND sequence > 0"
                    + " ORDER BY sequence LIMIT 200"))
        .contains(P + "grants_expiring")
        .doesNotContain("Seq Scan")
        .doesNotContain("Sort");
  }

  @Test
  void theReservationSweepWalksTheExpiringIndexInSequenceOrder() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "reservations WHERE tenant = '"
                    + tenant
                    + "' AND state = 'ACTIVE'"
                    + " AND expires_at <= now() AND sequence > 0 ORDER BY sequence LIMIT 200"))
        .contains(P + "reservations_expiring")
        .doesNotContain("Seq Scan")
        .doesNotContain("Sort");
  }

  @Test
  void aTransactionsPostingsAreReadByPrimaryKey() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "postings WHERE tenant = '"
                    + tenant
                    + "' AND transaction_id IN ('a', 'b')"))
        .contains(P + "postings_pkey")
        .doesNotContain("Seq Scan");
  }

  @Test
  void theOutboxIsReadInPositionOrderFromItsKey() throws SQLException {
    assertThat(plan("SELECT * FROM " + P + "outbox ORDER BY position LIMIT 100"))
        .contains(P + "outbox_pkey")
        .doesNotContain("Sort");
  }
}
