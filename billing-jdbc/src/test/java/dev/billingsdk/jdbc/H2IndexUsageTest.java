package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.tck.TckFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * H2 looks an {@code IN} list up in an index only on the index's first column: {@code tenant = ?
 * AND grant_id IN (?, ?)} read every grant of the tenant, so that a charge on a tenant of 10,000
 * accounts cost a scan of 30,000 grants (and an ingest batch a scan of every event). The dialect
 * writes the pairs out instead, which H2 looks up by the whole key. Each statement that reads rows
 * of one tenant by a list of ids is planned here through the dialect.
 */
@Tag("h2")
class H2IndexUsageTest {
  private static final String P = "h2idx_";
  private static DataSource ds;

  @BeforeAll
  static void tables() {
    TestDatabases.assumeAvailable(Db.H2);
    JdbcBillingStore store = TestDatabases.freshStore(Db.H2, P);
    ds = TestDatabases.pool(Db.H2, "main", 4);
    TckFixture f = new TckFixture(store);
    f.grant(f.open("acct"), 100);
  }

  @ParameterizedTest(name = "{0} by {1}")
  @CsvSource({"grants, grant_id", "usage_events, event_id", "postings, transaction_id"})
  void aListOfIdsOfOneTenantIsLookedUpByTheWholeKey(String table, String id) throws SQLException {
    String condition = Dialect.H2.tenantIdIn("tenant", id, 3);
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement("EXPLAIN SELECT * FROM " + P + table + " WHERE " + condition)) {
      int next = Dialect.H2.bindTenantIds(s, 1, "t", List.of("a", "b", "c"));
      assertThat(next).isEqualTo(7);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        String plan = rs.getString(1);
        // The index condition (H2's plan comment) holds the pairs, not only the tenant.
        assertThat(plan).containsPattern("/\\* [A-Z0-9_.]+: +IN\\(ROW \\(\\?1, \\?2\\)");
      }
    }
    // The default form, which the other databases take, is the one H2 cannot use.
    String plain = Dialect.POSTGRESQL.tenantIdIn("tenant", id, 3);
    assertThat(plain).isEqualTo("tenant = ? AND " + id + " IN (?, ?, ?)");
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement("EXPLAIN SELECT * FROM " + P + table + " WHERE " + plain)) {
      Dialect.POSTGRESQL.bindTenantIds(s, 1, "t", List.of("a", "b", "c"));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).doesNotContainPattern("/\\* [A-Z0-9_.]+: +IN\\(ROW");
      }
    }
  }
}
