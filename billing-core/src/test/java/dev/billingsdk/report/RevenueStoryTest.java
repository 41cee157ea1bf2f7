package dev.billingsdk.report;

import static dev.billingsdk.report.RevenueWorld.ACME;
import static dev.billingsdk.report.RevenueWorld.ADMIN;
import static dev.billingsdk.report.RevenueWorld.FINANCE;
import static dev.billingsdk.report.RevenueWorld.credits;
import static dev.billingsdk.report.RevenueWorld.query;
import static dev.billingsdk.report.RevenueWorld.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Rational;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The finance guide's revenue reports (seed 000, "3.5 Revenue Reports"), worked by hand: 100
 * credits = $1, a partner share of 30 %, an agent share of 10 %.
 */
class RevenueStoryTest {
  static final YearMonth MARCH = YearMonth.of(2026, 3);
  static final YearMonth APRIL = YearMonth.of(2026, 4);

  final RevenueWorld w = new RevenueWorld(Instant.parse("2026-03-02T09:00:00Z"));

  /** Alice, referred by agent Ann, buys 1,000 credits for $10 and gets 200 promotional. */
  private ChargeResult marchStory() {
    w.settings("30", "10");
    w.open("ann");
    w.open("alice");
    w.refer("ann", "alice");
    w.reports().publishModule(ACME, "llm-tokens", "partner-p", w.clock.instant(), ADMIN);
    w.buy("alice", 1_000, "10.00", 1_000);
    w.grant("alice", 200, GrantCategory.PROMOTIONAL, CostBasis.free());
    w.clock.advance(Duration.ofDays(3));
    // Free credits apply before paid ones (rule 2): 200 promotional, then 500 purchased.
    ChargeResult tokens = w.use("alice", "llm-tokens", 700);
    w.use("alice", "storage", 100);
    return tokens;
  }

  @Test
  void trueRevenueCountsOnlyPurchasedCreditsAtTheirCostBasis() {
    marchStory();
    List<RevenueRow> rows = w.reports().trueRevenue(query(MARCH, FINANCE));
    assertThat(rows).extracting(RevenueRow::item).containsExactly("llm-tokens", "storage");
    RevenueRow tokens = rows.get(0);
    // 700 consumed = 200 promotional (not revenue) + 500 purchased × $0.01 = $5.00.
    assertThat(tokens.credits()).isEqualTo(credits(500));
    assertThat(tokens.revenue()).isEqualTo(usd("5.00"));
    assertThat(tokens.exactMinor()).isEqualTo(Rational.of(500));
    assertThat(tokens.provenance().transactions()).isEqualTo(1);
    assertThat(rows.get(1).revenue()).isEqualTo(usd("1.00"));
  }

  /**
   * A purchase is not revenue by itself, and a credit-paid charge is not counted twice
   * (https://github.com/Paymenter/Paymenter/issues/979,
   * https://github.com/invoiceninja/invoiceninja/issues/2730): only consumption is.
   */
  @Test
  void buyingCreditsAloneIsNoRevenueAndFreeConsumptionIsNone() {
    w.settings("30", "10");
    w.open("bob");
    w.buy("bob", 1_000, "10.00", 1_000);
    w.grant("bob", 300, GrantCategory.SIGN_UP, CostBasis.free());
    assertThat(w.reports().trueRevenue(query(MARCH, FINANCE))).isEmpty();
    w.use("bob", "storage", 300); // all sign-up credits
    assertThat(w.reports().trueRevenue(query(MARCH, FINANCE))).isEmpty();
  }

  @Test
  void partnerShareIsThirtyPercentOfTheirModulesTrueRevenue() {
    marchStory();
    List<PartnerRevenueRow> rows = w.reports().partnerRevenue(query(MARCH, FINANCE));
    assertThat(rows).hasSize(1);
    PartnerRevenueRow row = rows.get(0);
    assertThat(row.partner()).isEqualTo("partner-p");
    assertThat(row.module()).isEqualTo("llm-tokens");
    assertThat(row.revenue()).isEqualTo(usd("5.00"));
    assertThat(row.share()).isEqualTo(Percentage.of(30));
    assertThat(row.partnerShare()).isEqualTo(usd("1.50"));
    assertThat(row.settingsVersion()).isEqualTo(1);
  }

  @Test
  void agentCommissionIsTenPercentOfTheReferredAccountsTrueRevenue() {
    marchStory();
    List<AgentRevenueRow> rows = w.reports().agentRevenue(query(MARCH, FINANCE));
    assertThat(rows).hasSize(1);
    AgentRevenueRow row = rows.get(0);
    assertThat(row.agent()).isEqualTo(AccountId.of("ann"));
    assertThat(row.accounts()).isEqualTo(1);
    // $5.00 + $1.00 of alice's consumption; 10 % = $0.60.
    assertThat(row.revenue()).isEqualTo(usd("6.00"));
    assertThat(row.commission()).isEqualTo(usd("0.60"));
    assertThat(row.provenance().transactions()).isEqualTo(2);
  }

  /**
   * A reversal reduces revenue in the month it is recorded, valued at the grants it gives back to
   * (credit memos subtract from revenue: https://github.com/metasfresh/metasfresh/pull/6226).
   */
  @Test
  void aReversalReducesRevenueInTheMonthItIsRecorded() {
    ChargeResult tokens = marchStory();
    w.clock.set(Instant.parse("2026-04-10T12:00:00Z"));
    // Given back last taken first: 50 of the purchased credits.
    w.reverse("alice", tokens.transaction().id(), 50);
    assertThat(w.reports().trueRevenue(query(MARCH, FINANCE)))
        .extracting(RevenueRow::revenue)
        .containsExactly(usd("5.00"), usd("1.00"));
    List<RevenueRow> april = w.reports().trueRevenue(query(APRIL, FINANCE));
    assertThat(april).hasSize(1);
    assertThat(april.get(0).item()).isEqualTo("llm-tokens");
    assertThat(april.get(0).credits()).isEqualTo(credits(-50));
    assertThat(april.get(0).revenue()).isEqualTo(usd("-0.50"));
    PartnerRevenueRow partner = w.reports().partnerRevenue(query(APRIL, FINANCE)).get(0);
    assertThat(partner.partnerShare()).isEqualTo(usd("-0.15"));
    assertThat(w.reports().agentRevenue(query(APRIL, FINANCE)).get(0).commission())
        .isEqualTo(usd("-0.05"));
  }

  @Test
  void reversingPromotionalCreditsChangesNoRevenue() {
    ChargeResult tokens = marchStory();
    w.reverse("alice", tokens.transaction().id(), 600); // 500 purchased + 100 promotional
    w.reverse("alice", tokens.transaction().id(), 100); // the last 100 promotional
    List<RevenueRow> rows = w.reports().trueRevenue(query(MARCH, FINANCE));
    assertThat(rows.get(0).credits()).isEqualTo(credits(0));
    assertThat(rows.get(0).revenue()).isEqualTo(usd("0.00"));
  }

  /**
   * Three charges of one credit bought at $1 for 3 credits: each is worth 33⅓ cents. Rounding per
   * line gives $0.99; the total of the exact values is $1.00, and that is what is reported
   * (https://github.com/invoiceninja/invoiceninja/issues/4370,
   * https://github.com/josemmo/einvoicing/pull/74).
   */
  @Test
  void roundsOncePerTotalNotPerLine() {
    w.settings("30", "10");
    w.open("carol");
    w.buy("carol", 3, "1.00", 3);
    for (int i = 0; i < 3; i++) {
      w.use("carol", "gpu", 1);
    }
    RevenueRow row = w.reports().trueRevenue(query(MARCH, FINANCE)).get(0);
    assertThat(row.exactMinor()).isEqualTo(Rational.of(100));
    assertThat(row.revenue()).isEqualTo(usd("1.00"));
    assertThat(row.provenance().transactions()).isEqualTo(3);
    // Per line it would have been 3 × round(33⅓) = 99 cents.
    assertThat(
            3 * Rational.of(100).dividedBy(Rational.of(3)).round(RoundingMode.HALF_EVEN).intValue())
        .isEqualTo(99);
  }

  @Test
  void theQueryNamesTheRoundingModeAndAFractionIsRoundedByIt() {
    w.settings("30", "10");
    w.open("dave");
    w.buy("dave", 3, "1.00", 3);
    w.use("dave", "gpu", 1); // 33⅓ cents
    RevenueQuery up = RevenueQuery.month(ACME, MARCH, RevenueWorld.UTC, RoundingMode.UP, FINANCE);
    RevenueQuery down =
        RevenueQuery.month(ACME, MARCH, RevenueWorld.UTC, RoundingMode.DOWN, FINANCE);
    assertThat(w.reports().trueRevenue(up).get(0).revenue()).isEqualTo(usd("0.34"));
    assertThat(w.reports().trueRevenue(down).get(0).revenue()).isEqualTo(usd("0.33"));
    assertThatThrownBy(
            () ->
                RevenueQuery.month(
                    ACME, MARCH, RevenueWorld.UTC, RoundingMode.UNNECESSARY, FINANCE))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("rounding");
  }

  /**
   * Months are cut in the query's zone: a charge at 22:30 UTC on 31 March is April in Berlin
   * (https://github.com/killbill/killbill/pull/1918,
   * https://github.com/JCISadmin/AI_Compliance/issues/412).
   */
  @Test
  void monthsAreCutInTheQueryZone() {
    w.settings("30", "10");
    w.open("erin");
    w.buy("erin", 1_000, "10.00", 1_000);
    w.clock.set(Instant.parse("2026-03-31T22:30:00Z"));
    w.use("erin", "gpu", 100);
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertThat(w.reports().trueRevenue(query(MARCH, FINANCE))).hasSize(1);
    assertThat(
            w.reports()
                .trueRevenue(
                    RevenueQuery.month(ACME, MARCH, berlin, RoundingMode.HALF_EVEN, FINANCE)))
        .isEmpty();
    assertThat(
            w.reports()
                .trueRevenue(
                    RevenueQuery.month(ACME, APRIL, berlin, RoundingMode.HALF_EVEN, FINANCE)))
        .extracting(RevenueRow::month)
        .containsExactly(APRIL);
  }

  @Test
  void consumptionBeforeTheReferralIsNotTheAgents() {
    w.settings("30", "10");
    w.open("ann");
    w.open("frank");
    w.buy("frank", 1_000, "10.00", 1_000);
    w.use("frank", "gpu", 100);
    w.clock.advance(Duration.ofDays(1));
    w.refer("ann", "frank");
    w.use("frank", "gpu", 200);
    AgentRevenueRow row = w.reports().agentRevenue(query(MARCH, FINANCE)).get(0);
    assertThat(row.revenue()).isEqualTo(usd("2.00"));
    assertThat(row.commission()).isEqualTo(usd("0.20"));
  }

  @Test
  void aModuleChangesHandsOnlyFromItsNewPublicationOn() {
    marchStory();
    w.reports()
        .publishModule(
            ACME, "llm-tokens", "partner-q", Instant.parse("2026-03-20T00:00:00Z"), ADMIN);
    // One partner per module at a time: the same instant for another partner is refused.
    assertThatThrownBy(
            () ->
                w.reports()
                    .publishModule(
                        ACME,
                        "llm-tokens",
                        "partner-r",
                        Instant.parse("2026-03-20T00:00:00Z"),
                        ADMIN))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("partner-q");
    w.clock.set(Instant.parse("2026-03-25T00:00:00Z"));
    w.use("alice", "llm-tokens", 100);
    assertThat(w.reports().partnerRevenue(query(MARCH, FINANCE)))
        .extracting(PartnerRevenueRow::partner, PartnerRevenueRow::revenue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("partner-p", usd("5.00")),
            org.assertj.core.groups.Tuple.tuple("partner-q", usd("1.00")));
  }

  @Test
  void publishingIntoThePastIsRefusedAndRepeatingAPublicationAnswersTheStoredOne() {
    w.settings("30", "10");
    Instant now = w.clock.instant();
    assertThatThrownBy(
            () -> w.reports().publishModule(ACME, "gpu", "p", now.minusSeconds(1), ADMIN))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("effectiveFrom");
    PartnerModule first = w.reports().publishModule(ACME, "gpu", "p", now, ADMIN);
    PartnerModule again = w.reports().publishModule(ACME, "gpu", "p", now, FINANCE);
    assertThat(again).isEqualTo(first);
    assertThatThrownBy(() -> w.reports().publishModule(ACME, "gpu", "q", now, ADMIN))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("partner p");
    assertThat(w.reports().modules(ACME, FINANCE)).containsExactly(first);
  }
}
