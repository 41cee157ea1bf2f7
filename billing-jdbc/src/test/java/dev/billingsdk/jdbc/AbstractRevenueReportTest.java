package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.ReferralRequest;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Price;
import dev.billingsdk.report.AgentRevenueRow;
import dev.billingsdk.report.PartnerRevenueRow;
import dev.billingsdk.report.PayoutRequest;
import dev.billingsdk.report.PayoutRun;
import dev.billingsdk.report.RevenueQuery;
import dev.billingsdk.report.RevenueRow;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testkit.TestClock;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The finance guide's revenue story end to end on one database: the JDBC billing, economy and
 * revenue stores behind one {@link Billing}, with the figures worked by hand in core's story.
 */
abstract class AbstractRevenueReportTest {
  static final String PREFIX = "revr_";
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Actor FINANCE = Actor.of("fiona", Role.FINANCE);
  static final YearMonth MARCH = YearMonth.of(2026, 3);

  abstract Db db();

  @Test
  void theSeedStoryReadsTheSameFromTheDatabase() {
    Db db = db();
    TestDatabases.assumeAvailable(db);
    JdbcBillingStore store = TestDatabases.freshStore(db, PREFIX);
    DataSource ds = TestDatabases.pool(db, "main", 16);
    TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00.123456Z"));
    Billing billing =
        Billing.builder()
            .store(store)
            .economy(JdbcEconomyStore.create(ds, PREFIX))
            .revenue(JdbcRevenueStore.create(ds, PREFIX))
            .clock(clock)
            .build();
    TenantId acme = TenantId.of("acme-" + UUID.randomUUID());
    billing
        .economy()
        .saveSettings(
            SettingsUpdate.of(
                acme,
                0,
                EconomySettings.builder(CreditPrice.of(Amount.of(CREDIT, 100), Amount.of(USD, 1)))
                    .partnerRevenueShare(Percentage.of(30))
                    .agentRevenueShare(Percentage.of(10))
                    .build(),
                FINANCE,
                "shares"));
    for (String id : List.of("ann", "alice")) {
      billing
          .credits()
          .openAccount(
              OpenAccountRequest.builder(acme, AccountId.of(id), CREDIT).actor(FINANCE).build());
    }
    billing
        .economy()
        .recordReferral(
            ReferralRequest.of(
                acme, AccountId.of("ann"), AccountId.of("alice"), clock.instant(), FINANCE));
    billing.revenue().publishModule(acme, "llm-tokens", "partner-p", clock.instant(), FINANCE);
    grant(
        billing,
        acme,
        1_000,
        GrantCategory.PURCHASED,
        CostBasis.paid(Price.of(Amount.of(USD, 10), Amount.of(CREDIT, 1_000))),
        "g1");
    grant(billing, acme, 200, GrantCategory.PROMOTIONAL, CostBasis.free(), "g2");
    clock.advance(Duration.ofDays(3));
    ChargeResult tokens = use(billing, acme, "llm-tokens", 700, "c1");
    use(billing, acme, "storage", 100, "c2");
    clock.advance(Duration.ofDays(1));
    billing
        .credits()
        .reverse(
            ReverseRequest.builder(acme, AccountId.of("alice"), tokens.transaction().id())
                .amount(Amount.of(CREDIT, 50))
                .idempotencyKey(IdempotencyKey.of("r1"))
                .actor(FINANCE)
                .reason("refund")
                .build());

    RevenueQuery march =
        RevenueQuery.month(acme, MARCH, ZoneOffset.UTC, RoundingMode.HALF_EVEN, FINANCE);
    List<RevenueRow> rows = billing.revenue().trueRevenue(march);
    assertThat(rows).extracting(RevenueRow::item).containsExactly("llm-tokens", "storage");
    assertThat(rows.get(0).revenue()).isEqualTo(Amount.of(USD, "4.50"));
    assertThat(rows.get(0).provenance().transactions()).isEqualTo(2);
    assertThat(rows.get(1).revenue()).isEqualTo(Amount.of(USD, "1.00"));
    PartnerRevenueRow partner = billing.revenue().partnerRevenue(march).get(0);
    assertThat(partner.partnerShare()).isEqualTo(Amount.of(USD, "1.35"));
    AgentRevenueRow agent = billing.revenue().agentRevenue(march).get(0);
    assertThat(agent.commission()).isEqualTo(Amount.of(USD, "0.55"));

    clock.set(Instant.parse("2026-04-01T00:00:00Z"));
    PayoutRequest run =
        PayoutRequest.run(acme, MARCH, ZoneOffset.UTC, RoundingMode.HALF_EVEN, FINANCE);
    PayoutRun first = billing.revenue().runPayouts(run);
    PayoutRun second = billing.revenue().runPayouts(run);
    assertThat(first.created()).hasSize(1);
    assertThat(first.created().get(0).amounts()).containsExactly(Amount.of(USD, "1.35"));
    assertThat(second.created()).isEmpty();
    assertThat(second.existing()).isEqualTo(first.created());
  }

  private static void grant(
      Billing billing, TenantId t, long n, GrantCategory category, CostBasis basis, String key) {
    billing
        .credits()
        .grant(
            GrantRequest.builder(t, AccountId.of("alice"), Amount.of(CREDIT, n))
                .category(category)
                .costBasis(basis)
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(FINANCE)
                .reason("story")
                .build());
  }

  private static ChargeResult use(Billing billing, TenantId t, String item, long n, String key) {
    return billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    t,
                    AccountId.of("alice"),
                    Charge.of(ChargeKind.USAGE, item, Amount.of(CREDIT, n)))
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(Actor.system("meter"))
                .reason("usage")
                .build());
  }
}
