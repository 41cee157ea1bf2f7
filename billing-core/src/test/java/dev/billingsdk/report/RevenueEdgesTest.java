package dev.billingsdk.report;

import static dev.billingsdk.report.RevenueWorld.ACME;
import static dev.billingsdk.report.RevenueWorld.ADMIN;
import static dev.billingsdk.report.RevenueWorld.CREDIT;
import static dev.billingsdk.report.RevenueWorld.FINANCE;
import static dev.billingsdk.report.RevenueWorld.METER;
import static dev.billingsdk.report.RevenueWorld.UTC;
import static dev.billingsdk.report.RevenueWorld.credits;
import static dev.billingsdk.report.RevenueWorld.query;
import static dev.billingsdk.report.RevenueWorld.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.DeductRequest;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryRevenueStore;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.setup.Billing;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

/** The edges of the revenue reports: other ways of consuming, settings by month, bad input. */
class RevenueEdgesTest {
  static final YearMonth MARCH = YearMonth.of(2026, 3);
  static final YearMonth APRIL = YearMonth.of(2026, 4);

  final RevenueWorld w = new RevenueWorld(Instant.parse("2026-03-02T09:00:00Z"));

  @Test
  void aSettledReservationIsRevenueOfItsItemValuedThroughItsHold() {
    w.settings("30", "10");
    w.open("alice");
    w.grant("alice", 50, GrantCategory.PROMOTIONAL, CostBasis.free());
    w.buy("alice", 1_000, "10.00", 1_000);
    ReservationResult held =
        w.billing
            .reservations()
            .reserve(
                ReserveRequest.builder(
                        ACME,
                        AccountId.of("alice"),
                        Charge.of(ChargeKind.USAGE, "gpu", credits(300)))
                    .timeToLive(Duration.ofMinutes(10))
                    .idempotencyKey(IdempotencyKey.of("hold-1"))
                    .actor(METER)
                    .reason("deployment hour")
                    .build());
    // A hold alone is no consumption.
    assertThat(w.reports().trueRevenue(query(MARCH, FINANCE))).isEmpty();
    w.billing
        .reservations()
        .settle(
            SettleRequest.builder(ACME, held.reservation().id(), credits(250))
                .idempotencyKey(IdempotencyKey.of("settle-1"))
                .actor(METER)
                .reason("actual use")
                .build());
    RevenueRow row = w.reports().trueRevenue(query(MARCH, FINANCE)).get(0);
    // 250 settled: 50 promotional first, then 200 purchased at $0.01.
    assertThat(row.item()).isEqualTo("gpu");
    assertThat(row.credits()).isEqualTo(credits(200));
    assertThat(row.revenue()).isEqualTo(usd("2.00"));
  }

  @Test
  void consumptionFromTheOverdraftIsNoRevenue() {
    w.settings("30", "10");
    w.billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, AccountId.of("owen"), CREDIT)
                .overdraftPolicy(OverdraftPolicy.allowDownTo(credits(500)))
                .actor(ADMIN)
                .build());
    w.buy("owen", 100, "1.00", 100);
    w.use("owen", "gpu", 400); // 100 purchased, 300 owed
    RevenueRow row = w.reports().trueRevenue(query(MARCH, FINANCE)).get(0);
    assertThat(row.credits()).isEqualTo(credits(100));
    assertThat(row.revenue()).isEqualTo(usd("1.00"));
  }

  /**
   * Lago tells free from paid wallet credits and voids transactions apart from consumption
   * (getlago/lago-api#1925); Flexprice lets a manual debit take a wallet below zero
   * (flexprice/flexprice#901). Here a deduction of purchased credits is neither consumption nor
   * revenue, and what is consumed afterwards is valued from the purchased credits that are left.
   */
  @Test
  void purchasedCreditsDeductedByAnAdministratorAreNoRevenueAndTheRestStillIs() {
    w.settings("30", "10");
    w.open("alice");
    w.buy("alice", 1_000, "10.00", 1_000);
    w.billing
        .credits()
        .deduct(
            DeductRequest.builder(
                    ACME, AccountId.of("alice"), GrantCategory.PURCHASED, credits(600))
                .idempotencyKey(IdempotencyKey.of("deduct-1"))
                .actor(ADMIN)
                .reason("bought twice by mistake, refunded by bank transfer")
                .build());
    assertThat(w.reports().trueRevenue(query(MARCH, FINANCE))).isEmpty();

    w.use("alice", "gpu", 300);
    RevenueRow row = w.reports().trueRevenue(query(MARCH, FINANCE)).get(0);
    assertThat(row.credits()).isEqualTo(credits(300));
    assertThat(row.revenue()).isEqualTo(usd("3.00"));
    assertThatThrownBy(
            () ->
                w.billing
                    .credits()
                    .deduct(
                        DeductRequest.builder(
                                ACME, AccountId.of("alice"), GrantCategory.PURCHASED, credits(101))
                            .idempotencyKey(IdempotencyKey.of("deduct-2"))
                            .actor(ADMIN)
                            .reason("more than is left")
                            .build()))
        .isInstanceOf(InsufficientCreditException.class);
  }

  @Test
  void subscriptionAndPartnerAllowancesAreNoRevenue() {
    w.settings("30", "10");
    w.open("sam");
    w.grant("sam", 500, GrantCategory.SUBSCRIPTION_ALLOWANCE, CostBasis.free());
    w.grant("sam", 500, GrantCategory.PARTNER_ALLOWANCE, CostBasis.free());
    w.use("sam", "gpu", 1_000);
    assertThat(w.reports().trueRevenue(query(MARCH, FINANCE))).isEmpty();
  }

  @Test
  void eachMonthTakesTheSharesInForceWhenItEnded() {
    w.settings("30", "10");
    w.reports().publishModule(ACME, "gpu", "partner-p", w.clock.instant(), ADMIN);
    w.open("alice");
    w.buy("alice", 1_000, "10.00", 1_000);
    w.use("alice", "gpu", 100);
    w.clock.set(Instant.parse("2026-04-15T00:00:00Z"));
    w.settings("40", "20");
    w.use("alice", "gpu", 100);
    PartnerRevenueRow march = w.reports().partnerRevenue(query(MARCH, FINANCE)).get(0);
    PartnerRevenueRow april = w.reports().partnerRevenue(query(APRIL, FINANCE)).get(0);
    assertThat(march.share()).isEqualTo(Percentage.of(30));
    assertThat(march.settingsVersion()).isEqualTo(1);
    assertThat(march.partnerShare()).isEqualTo(usd("0.30"));
    assertThat(april.share()).isEqualTo(Percentage.of(40));
    assertThat(april.settingsVersion()).isEqualTo(2);
    assertThat(april.partnerShare()).isEqualTo(usd("0.40"));
  }

  @Test
  void aQuerySpansMonthsAndRowsComeInMonthOrder() {
    w.settings("30", "10");
    w.open("alice");
    w.buy("alice", 1_000, "10.00", 1_000);
    w.use("alice", "gpu", 100);
    w.clock.set(Instant.parse("2026-05-02T00:00:00Z"));
    w.use("alice", "gpu", 50);
    RevenueQuery q =
        RevenueQuery.builder(ACME, FINANCE)
            .months(MARCH, YearMonth.of(2026, 5))
            .zone(UTC)
            .rounding(RoundingMode.HALF_UP)
            .build();
    assertThat(w.reports().trueRevenue(q))
        .extracting(RevenueRow::month, RevenueRow::revenue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(MARCH, usd("1.00")),
            org.assertj.core.groups.Tuple.tuple(YearMonth.of(2026, 5), usd("0.50")));
  }

  @Test
  void queryBuilderRefusesSecondCallsMissingFieldsAndBackwardRanges() {
    RevenueQuery.Builder b = RevenueQuery.builder(ACME, FINANCE).zone(UTC);
    assertThatThrownBy(() -> b.zone(UTC))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("zone")
        .hasMessageContaining("already set");
    assertThatThrownBy(b::build)
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("months");
    assertThatThrownBy(
            () -> new RevenueQuery(ACME, APRIL, MARCH, UTC, RoundingMode.HALF_EVEN, FINANCE))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("last");
    assertThatThrownBy(
            () ->
                new RevenueQuery(
                    ACME, MARCH, MARCH.plusMonths(120), UTC, RoundingMode.HALF_EVEN, FINANCE))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("120");
  }

  @Test
  void badPublicationsAreRefusedNamingTheFieldAndNothingIsStored() {
    Instant now = w.clock.instant();
    assertThatThrownBy(() -> w.reports().publishModule(ACME, " gpu", "p", now, ADMIN))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("module");
    assertThatThrownBy(() -> w.reports().publishModule(ACME, "gpu", "", now, ADMIN))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("partner");
    assertThat(w.revenueStore.publications(ACME)).isEmpty();
  }

  @Test
  void revenueIsRefusedNamingItselfWhenNotConfiguredAndNeedsTheEconomy() {
    Billing plain = Billing.builder().store(InMemoryBillingStore.create()).clock(w.clock).build();
    assertThatThrownBy(plain::revenue)
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("revenue");
    InMemoryBillingStore store = InMemoryBillingStore.create();
    assertThatThrownBy(
            () ->
                Billing.builder()
                    .store(store)
                    .revenue(InMemoryRevenueStore.of(store))
                    .clock(w.clock)
                    .build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("revenue")
        .hasMessageContaining("economy");
  }
}
