package dev.billingsdk.report;

import static dev.billingsdk.report.RevenueWorld.ACME;
import static dev.billingsdk.report.RevenueWorld.ADMIN;
import static dev.billingsdk.report.RevenueWorld.FINANCE;
import static dev.billingsdk.report.RevenueWorld.UTC;
import static dev.billingsdk.report.RevenueWorld.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.billingsdk.AccountId;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.money.Price;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Revenue reports and payouts whose totals pass a long of minor units: refused with an {@link
 * AmountOverflowException} naming the field and its exact value, never a raw {@link
 * ArithmeticException}, and a payout run that meets one writes no payout at all.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RevenueOverflowTest {
  static final YearMonth MARCH = YearMonth.of(2026, 3);
  static final long MAX = Long.MAX_VALUE;

  final RevenueWorld w = new RevenueWorld(Instant.parse("2026-03-02T09:00:00Z"));

  /** {@code credits} bought at {@code cents} for {@code per} credits, then all used on item. */
  private void buyAndUse(String account, long credits, long cents, long per, String item) {
    w.open(account);
    w.grant(
        account,
        credits,
        GrantCategory.PURCHASED,
        CostBasis.paid(
            Price.of(Amount.ofMinor(RevenueWorld.USD, cents), RevenueWorld.credits(per))));
    w.use(account, item, credits);
  }

  private List<LedgerTransaction> ledger(String... accounts) {
    return java.util.Arrays.stream(accounts)
        .flatMap(a -> w.store.transactions(ACME, AccountId.of(a)).stream())
        .toList();
  }

  private static AmountOverflowException overflow(Throwable thrown) {
    assertThat(thrown).isInstanceOf(AmountOverflowException.class);
    return (AmountOverflowException) thrown;
  }

  @Test
  void credits_of_a_row_beyond_a_long_are_refused_naming_credits_and_the_sum() {
    // Two accounts each use a long's worth of credits on the same module in March: 2^64 - 2.
    buyAndUse("a", MAX, 1, MAX, "gpu");
    buyAndUse("b", MAX, 1, MAX, "gpu");
    List<LedgerTransaction> before = ledger("a", "b");

    // Was a raw ArithmeticException ("long overflow") from the row's running sum.
    AmountOverflowException refused =
        overflow(catchThrowable(() -> w.reports().trueRevenue(query(MARCH, FINANCE))));
    assertThat(refused.getMessage())
        .contains("credits")
        .contains("18446744073709551614")
        .contains("gpu")
        .contains("2026-03");
    assertThat(ledger("a", "b")).isEqualTo(before);
  }

  @Test
  void a_running_sum_beyond_a_long_that_ends_within_one_is_reported_exactly() {
    // a and b use a long's worth each, then a's use is reversed in full: the row nets to one long.
    buyAndUse("a", MAX, 1, MAX, "gpu");
    w.open("b");
    w.grant(
        "b",
        MAX,
        GrantCategory.PURCHASED,
        CostBasis.paid(Price.of(Amount.ofMinor(RevenueWorld.USD, 1), RevenueWorld.credits(MAX))));
    var used = w.use("b", "gpu", MAX);
    w.reverse("b", used.transaction().id(), MAX);

    List<RevenueRow> rows = w.reports().trueRevenue(query(MARCH, FINANCE));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).credits()).isEqualTo(RevenueWorld.credits(MAX));
    assertThat(rows.get(0).revenue()).isEqualTo(Amount.ofMinor(RevenueWorld.USD, 1));
  }

  @Test
  void revenue_beyond_a_long_of_cents_is_refused_naming_revenue_and_the_exact_value() {
    // 10,000 credits at 10^15 cents each: 10^19 cents, past a long (about 9.2 * 10^18).
    buyAndUse("a", 10_000, 1_000_000_000_000_000L, 1, "gpu");
    List<LedgerTransaction> before = ledger("a");

    AmountOverflowException refused =
        overflow(catchThrowable(() -> w.reports().trueRevenue(query(MARCH, FINANCE))));
    assertThat(refused.getMessage())
        .contains("revenue")
        .contains("10000000000000000000")
        .contains("gpu");
    assertThat(ledger("a")).isEqualTo(before);
  }

  @Test
  void partner_and_agent_rows_beyond_a_long_are_refused_naming_the_field() {
    w.settings("100", "100");
    w.open("agent");
    w.reports().publishModule(ACME, "gpu", "partner-g", w.clock.instant(), ADMIN);
    w.open("a");
    w.refer("agent", "a");
    w.grant(
        "a",
        10_000,
        GrantCategory.PURCHASED,
        CostBasis.paid(
            Price.of(
                Amount.ofMinor(RevenueWorld.USD, 1_000_000_000_000_000L),
                RevenueWorld.credits(1))));
    w.use("a", "gpu", 10_000);

    AmountOverflowException partner =
        overflow(catchThrowable(() -> w.reports().partnerRevenue(query(MARCH, FINANCE))));
    assertThat(partner.getMessage()).contains("revenue").contains("10000000000000000000");
    AmountOverflowException agent =
        overflow(catchThrowable(() -> w.reports().agentRevenue(query(MARCH, FINANCE))));
    assertThat(agent.getMessage()).contains("revenue").contains("10000000000000000000");
  }

  @Test
  void a_payout_beyond_a_long_is_refused_and_no_partner_is_paid_out() {
    w.settings("100", "0");
    // partner-a's module earns a cent; partner-b's 10^19 cents. partner-a comes first.
    w.reports().publishModule(ACME, "small", "partner-a", w.clock.instant(), ADMIN);
    w.reports().publishModule(ACME, "huge", "partner-b", w.clock.instant(), ADMIN);
    buyAndUse("a", 1, 1, 1, "small");
    buyAndUse("b", 10_000, 1_000_000_000_000_000L, 1, "huge");
    w.clock.set(Instant.parse("2026-04-02T00:00:00Z"));
    PayoutRequest run = new PayoutRequest(ACME, MARCH, UTC, RoundingMode.HALF_EVEN, false, FINANCE);

    // Was a raw ArithmeticException after partner-a's payout had been written.
    AmountOverflowException refused = overflow(catchThrowable(() -> w.reports().runPayouts(run)));
    assertThat(refused.getMessage())
        .contains("amounts")
        .contains("partner-b")
        .contains("10000000000000000000");
    assertThat(w.revenueStore.payouts(ACME, MARCH)).isEmpty();
  }
}
