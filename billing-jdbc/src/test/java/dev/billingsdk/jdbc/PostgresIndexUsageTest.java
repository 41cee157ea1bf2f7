package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.PurchaseTransition;
import dev.billingsdk.purchase.PurchasedItem;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import dev.billingsdk.tck.TckFixture;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every query a listing, sweep, write, usage read or summary needs can be answered from an index:
 * with sequential scans priced out, PostgreSQL's plan for each uses the index the schema made for
 * it (on a table this small the planner would otherwise scan, which proves nothing either way).
 */
@Tag("postgresql")
@ExtendWith(DatabaseAvailable.Postgres.class)
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
    meter(store, f.tenant, acct);
    purchases(f.tenant);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String t :
          new String[] {
            "accounts",
            "grants",
            "transactions",
            "postings",
            "reservations",
            "meters",
            "usage_events",
            "rating_cursors",
            "rated_lines",
            "purchases",
            "purchase_transitions",
            "provider_events"
          }) {
        s.execute("ANALYZE " + P + t);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Purchases with a checkout reference, half of them paid, and their webhook deliveries. */
  private static void purchases(TenantId tenant) {
    JdbcPurchaseStore purchases = JdbcPurchaseStore.create(ds, P);
    JdbcProviderEventStore events = JdbcProviderEventStore.create(ds, P);
    Instant at = Instant.parse("2026-01-05T10:00:00Z");
    Amount price = Amount.ofMinor(CurrencyUnit.of("USD"), 1999);
    for (int i = 0; i < 200; i++) {
      Purchase p =
          new Purchase(
              tenant,
              PurchaseId.of("p-" + i),
              AccountId.of("acct"),
              new PurchasedItem(CatalogueItem.Kind.CREDIT_PACKAGE, "starter", 1, "Starter"),
              price,
              "stripe",
              PurchaseState.CREATED,
              Optional.empty(),
              Optional.empty(),
              Amount.zero(price.unit()),
              false,
              at,
              at,
              0);
      purchases.createIfAbsent(p);
      PurchaseTransition checkout =
          new PurchaseTransition(
              tenant,
              p.id(),
              1,
              PurchaseState.CREATED,
              PurchaseState.PENDING,
              at,
              "library:checkout",
              "",
              Optional.of("cs_" + i),
              Optional.empty(),
              Amount.zero(price.unit()),
              false);
      Purchase pending = purchases.transition(p, checkout).orElseThrow();
      if (i % 2 == 0) {
        purchases.transition(
            pending,
            new PurchaseTransition(
                tenant,
                p.id(),
                2,
                PurchaseState.PENDING,
                PurchaseState.PAID,
                at,
                "stripe:evt_" + i,
                "",
                Optional.empty(),
                Optional.of("pi_" + i),
                Amount.zero(price.unit()),
                false));
      }
      events.recordIfAbsent(
          new ProviderEvent(
              "stripe",
              "evt_" + i,
              "checkout.session.completed",
              ProviderEvent.Kind.CHECKOUT_COMPLETED,
              at,
              Optional.of(p.id().value()),
              Optional.of("cs_" + i),
              Optional.empty(),
              "{}"),
          at);
    }
  }

  /** Usage of the account on meter m1 (and a few other triples), and two rating steps. */
  private static void meter(JdbcBillingStore store, TenantId tenant, AccountId acct) {
    store.insertMeterIfAbsent(
        Meter.builder(tenant, "m1", Aggregation.SUM).unit("tokens").dimensions("model").build());
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    List<StoredUsageEvent> events = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      AccountId a = i % 10 == 0 ? AccountId.of("other-" + i % 3) : acct;
      UsageEvent e =
          UsageEvent.builder(tenant, a, "m1")
              .id("usage-" + i)
              .quantity(BigDecimal.valueOf(i + 1))
              .occurredAt(t0.plusSeconds(i * 13L % 3_600))
              .dimensions(Map.of("model", i % 2 == 0 ? "large" : "small"))
              .build();
      events.add(StoredUsageEvent.unsequenced(e, "fingerprint-" + i, t0.plusSeconds(7_200)));
    }
    store.ingest(events);
    for (int step = 1; step <= 2; step++) {
      RatingCursor c = store.findRatingCursor(tenant, acct, "m1").orElseThrow();
      List<RatedLine> lines = new ArrayList<>();
      for (int n = 0; n < 20; n++) {
        lines.add(
            new RatedLine(
                tenant,
                acct,
                "m1",
                c.version() + 1,
                n,
                t0,
                t0.plusSeconds(3_600),
                YearMonth.of(2026, 1 + n % 3),
                Map.of("model", "model-" + n % 4),
                BigDecimal.valueOf(n),
                TckFixture.credits(n * 10L),
                Optional.empty()));
      }
      store.advanceRatingCursor(c.advanced(t0.plusSeconds(3_600L * step), 100L * step, ""), lines);
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
  void consumptionIsReadInOrderFromTheEffectiveIndex() throws SQLException {
    // JdbcRevenueStore.consumption's page: a tenant's debits and reversals in a range, after a
    // cursor (its rows are then joined by primary key). A page of 50: on this small table a page
    // of 500 is the whole tenant, which the planner would rather sort than read in index order.
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "transactions WHERE tenant = '"
                    + tenant
                    + "' AND type IN ('USAGE_DEBIT', 'CHARGE', 'REVERSAL')"
                    + " AND effective_at >= '2026-01-01T00:00:00Z'"
                    + " AND effective_at < '2026-02-01T00:00:00Z'"
                    + " AND (effective_at > '2026-01-01T00:00:00Z'"
                    + " OR (effective_at = '2026-01-01T00:00:00Z' AND sequence > 10))"
                    + " ORDER BY effective_at, sequence LIMIT 50"))
        .contains(P + "transactions_consumption")
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
  void anInvoicesApplicationsAreServedByTheInvoiceIndex() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "transactions WHERE tenant = '"
                    + tenant
                    + "' AND account_id = '"
                    + account
                    + "' AND invoice = 'INV-1' ORDER BY sequence"))
        .contains(P + "transactions_invoice")
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
                    + "' AND live"))
        .contains(P + "grants_live")
        .doesNotContain("Seq Scan");
  }

  @Test
  void anExternalKeyIsFoundByItsUniqueIndex() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "accounts WHERE tenant = '"
                    + tenant
                    + "' AND external_key = 'ada@example.com'"))
        .contains(P + "accounts_external_key")
        .doesNotContain("Seq Scan");
  }

  @Test
  void anAccountsCategoriesAreReadFromItsGrantIndex() throws SQLException {
    assertThat(
            plan(
                "SELECT category, MIN(sequence) AS first_sequence FROM "
                    + P
                    + "grants WHERE tenant = '"
                    + tenant
                    + "' AND account_id = '"
                    + account
                    + "' GROUP BY category ORDER BY first_sequence"))
        .contains(P + "grants_account")
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
                    + "' AND live AND NOT voided"
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

  // ---------------------------------------------------------------- metering

  private static String triple() {
    return "tenant = '" + tenant + "' AND account = '" + account + "' AND meter = 'm1'";
  }

  @Test
  void aWindowsUsageIsReadInTimeThenSequenceOrderFromTheWindowIndex() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "usage_events WHERE "
                    + triple()
                    + " AND occurred_at >= '2026-03-01T00:00:00Z'"
                    + " AND occurred_at < '2026-03-01T01:00:00Z' AND sequence <= 250"
                    + " AND (occurred_at, sequence) > ('2026-03-01T00:10:00Z', 17)"
                    + " ORDER BY occurred_at, sequence LIMIT 100"))
        .contains(P + "usage_events_window")
        .doesNotContain("Seq Scan")
        .doesNotContain("Sort");
  }

  @Test
  void lateUsageIsReadByTheSequenceIndexWithinItsSequenceRange() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "usage_events WHERE "
                    + triple()
                    // What a rating step asks: the few sequences ingested since the last step,
                    // that occurred before the watermark (most of the triple's usage did).
                    + " AND sequence > 250 AND sequence <= 270"
                    + " AND occurred_at < '2026-03-01T01:00:00Z' ORDER BY sequence LIMIT 100"))
        .contains(P + "usage_events_sequence")
        // The index bounds the scan to the sequences asked for (on a table this small the planner
        // may fetch them as a bitmap and sort those few rows, which is as good).
        .containsPattern("Index Cond: .*\\(sequence > 250\\) AND \\(sequence <= 270\\)")
        .doesNotContain("Seq Scan");
  }

  @Test
  void anEventIdIsFoundByItsClaim() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "usage_events WHERE tenant = '"
                    + tenant
                    + "' AND event_id IN ('usage-1', 'usage-2')"))
        .contains(P + "usage_events_pkey")
        .doesNotContain("Seq Scan");
  }

  @Test
  void aRatingCursorIsLookedUpAndLockedByItsKey() throws SQLException {
    assertThat(plan("SELECT * FROM " + P + "rating_cursors WHERE " + triple()))
        .contains(P + "rating_cursors_pkey")
        .doesNotContain("Seq Scan");
    assertThat(plan("SELECT * FROM " + P + "rating_cursors WHERE " + triple() + " FOR UPDATE"))
        .contains(P + "rating_cursors_pkey")
        .doesNotContain("Seq Scan");
  }

  @Test
  void theCursorScanPagesInKeyOrderFromThePrimaryKey() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "rating_cursors WHERE (tenant, account, meter) > ('"
                    + tenant
                    + "', 'a', 'm') ORDER BY tenant, account, meter LIMIT 500"))
        .contains(P + "rating_cursors_pkey")
        .doesNotContain("Seq Scan")
        .doesNotContain("Sort");
  }

  @Test
  void aStepsLinesAreReadByPrimaryKey() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "rated_lines WHERE "
                    + triple()
                    + " AND cursor_version = 1 ORDER BY line_number"))
        .contains(P + "rated_lines_pkey")
        .doesNotContain("Seq Scan");
  }

  private static final String SUMMARY =
      "SELECT account, period_year, period_month, meter, dimension_digest, dimension_key,"
          + " dimensions, unit_code, unit_scale, unit_currency, SUM(quantity), SUM(credits) FROM "
          + P
          + "rated_lines WHERE tenant = '%s'%s GROUP BY account, period_year, period_month,"
          + " meter, dimension_digest, dimension_key, dimensions, unit_code, unit_scale,"
          + " unit_currency";

  @Test
  void usageSummariesAreAnsweredFromTheIndexOnTenantAndPeriod() throws SQLException {
    for (String filter :
        List.of(
            " AND period_year = 2026 AND period_month = 1",
            " AND period_year = 2026 AND period_month = 2 AND account = '"
                + account
                + "' AND meter = 'm1'",
            " AND period_year = 2026",
            "")) {
      assertThat(plan(String.format(SUMMARY, tenant, filter)))
          .as("summary%s", filter)
          .contains(P + "rated_lines_summary")
          .doesNotContain("Seq Scan");
    }
  }

  @Test
  void theOutboxIsReadInPositionOrderFromItsKey() throws SQLException {
    assertThat(plan("SELECT * FROM " + P + "outbox ORDER BY position LIMIT 100"))
        .contains(P + "outbox_pkey")
        .doesNotContain("Sort");
  }

  @Test
  void aProviderRefIsFoundThroughBothReferenceIndexes() throws SQLException {
    // JdbcPurchaseStore.findByProviderRef: a webhook's reference, as checkout or as payment.
    String columns = "tenant, purchase_id, state, version";
    assertThat(
            plan(
                "SELECT "
                    + columns
                    + ", 0 AS ref_role FROM "
                    + P
                    + "purchases WHERE provider = 'stripe' AND checkout_ref = 'cs_7'"
                    + " UNION ALL SELECT "
                    + columns
                    + ", 1 AS ref_role FROM "
                    + P
                    + "purchases WHERE provider = 'stripe' AND payment_ref = 'cs_7'"
                    + " ORDER BY ref_role"))
        .contains(P + "purchases_checkout_ref")
        .contains(P + "purchases_payment_ref")
        .doesNotContain("Seq Scan");
  }

  @Test
  void aPurchasesTransitionsAreReadInSequenceOrderFromThePrimaryKey() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "purchase_transitions WHERE tenant = '"
                    + tenant
                    + "' AND purchase_id = 'p-7' ORDER BY sequence"))
        .contains(P + "purchase_transitions_pkey")
        .doesNotContain("Seq Scan")
        .doesNotContain("Sort");
  }

  @Test
  void anAppliedCauseIsFoundByItsUniqueKey() throws SQLException {
    assertThat(
            plan(
                "SELECT 1 FROM "
                    + P
                    + "purchase_transitions WHERE tenant = '"
                    + tenant
                    + "' AND purchase_id = 'p-8' AND cause = 'stripe:evt_8'"))
        .contains(P + "purchase_transitions_tenant_purchase_id_cause_key")
        .doesNotContain("Seq Scan");
  }

  @Test
  void aProviderEventIsFoundByItsClaim() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM "
                    + P
                    + "provider_events WHERE provider = 'stripe' AND event_id = 'evt_1'"))
        .contains(P + "provider_events_pkey")
        .doesNotContain("Seq Scan");
  }
}
