package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.money.CreditUnit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Hostile but legal prices and quantities: a cost that does not fit an amount (a {@code long} of
 * minor units) is refused with a {@link RatingOverflowException} naming the meter and the quantity,
 * never wrapped, capped or thrown as a raw {@link ArithmeticException}. The deduction posts nothing
 * for the account that overflows and deducts every other account as usual. The deduction runs
 * hourly; the clock moves only when the story says so.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HugeCostsStoryTest extends DeductionStory {
  static final String TOKENS = "llm-tokens";
  static final String GPUS = "gpu-hours";
  static final Instant MONDAY = at("2026-11-02T10:00:00Z");

  /** Credits counted in trillionths: a long holds about 9.2 million of them. */
  static final CreditUnit PICO = CreditUnit.of("PICO", 12);

  void startWith(PriceBook prices) {
    start(MONDAY, MeteringSettings.of(prices, Duration.ofHours(1)));
    define(Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").dimensions("model").build());
  }

  static PriceBook tokensAt(PriceModel model) {
    return PriceBook.builder(RoundingMode.HALF_EVEN)
        .meter(TOKENS, MeterPrice.of(CREDITS, model))
        .build();
  }

  void tokens(AccountId account, String n, String when) {
    clock.set(at(when));
    send(
        usage(
            account.value() + "@" + when, account, TOKENS, n, at(when), Map.of("model", "gpt-4o")));
  }

  Amount estimate(AccountId account, String quantity) {
    return billing
        .metering()
        .estimate(ACME, account, TOKENS, new BigDecimal(quantity), Map.of("model", "gpt-4o"));
  }

  // ------------------------------------------------------------------ estimates and prices

  @Test
  void an_estimate_whose_cost_does_not_fit_an_amount_names_the_meter_and_the_quantity() {
    // 1e40 credits a token: one token is 10^42 minor units, far beyond a long.
    startWith(tokensAt(PriceModel.perUnit("1e40")));
    AccountId whale = open("whale");

    RatingOverflowException refused =
        catchThrowableOfType(RatingOverflowException.class, () -> estimate(whale, "1"));
    assertThat(refused).isInstanceOf(AmountOverflowException.class);
    assertThat(refused.meter()).isEqualTo(TOKENS);
    assertThat(refused.quantity()).isEqualByComparingTo("1");
    assertThat(refused.account()).isEqualTo(whale);
    assertThat(refused.tenant()).isEqualTo(ACME);
    assertThat(refused.unit()).isEqualTo(CREDITS);
    assertThat(refused.windowStart()).isEmpty();
    assertThat(refused.getMessage()).contains(TOKENS).contains("whale");

    // The settling price overflows alike.
    RatingOverflowException price =
        catchThrowableOfType(
            RatingOverflowException.class,
            () ->
                billing
                    .metering()
                    .price(ACME, whale, TOKENS, BigDecimal.ONE, Map.of("model", "gpt-4o")));
    assertThat(price.meter()).isEqualTo(TOKENS);
  }

  @Test
  void the_largest_cost_that_fits_is_estimated_and_one_minor_unit_more_is_refused() {
    // 0.01 credits a token is one minor unit: Long.MAX_VALUE tokens would be the largest cost, but
    // quantities stay below 10^18; a price of 9.22 a token reaches past a long from 10^17 tokens.
    startWith(tokensAt(PriceModel.perUnit("9.22")));
    AccountId whale = open("whale");
    // 10^17 * 922 = 9.22 * 10^19 minor units: too much.
    assertThat(
            catchThrowableOfType(
                    RatingOverflowException.class, () -> estimate(whale, "100000000000000000"))
                .quantity())
        .isEqualByComparingTo("100000000000000000");
    // 10^16 * 922 = 9.22 * 10^18 minor units: just below Long.MAX_VALUE (9.223... * 10^18).
    assertThat(estimate(whale, "10000000000000000")).isEqualTo(minor(9_220_000_000_000_000_000L));
  }

  @Test
  void tiers_packages_and_hourly_rates_at_extreme_sizes_overflow_as_a_typed_refusal() {
    AccountId whale;
    // Packages of 10^-60 tokens: 10^17 tokens are 10^77 packages.
    startWith(tokensAt(PriceModel.perPackage("1e-60", "1")));
    whale = open("whale");
    assertThat(
            catchThrowableOfType(
                    RatingOverflowException.class, () -> estimate(whale, "100000000000000000"))
                .meter())
        .isEqualTo(TOKENS);

    // A first tier of 10^-60 tokens, then 1e40 a token.
    startWith(tokensAt(PriceModel.graduated(Tier.upTo("1e-60", "0"), Tier.rest("1e40"))));
    AccountId other = open("other");
    assertThat(
            catchThrowableOfType(RatingOverflowException.class, () -> estimate(other, "5"))
                .quantity())
        .isEqualByComparingTo("5");

    // Volume: everything at 1e30 once past 10 tokens.
    startWith(tokensAt(PriceModel.volume(Tier.upTo("10", "0.01"), Tier.rest("1e30"))));
    AccountId third = open("third");
    assertThat(estimate(third, "10")).isEqualTo(credits("0.10"));
    assertThat(catchThrowableOfType(RatingOverflowException.class, () -> estimate(third, "11")))
        .isNotNull();

    // 1e40 credits an hour: 3,600 (level x seconds) is an hour.
    startWith(tokensAt(PriceModel.perHour("1e40")));
    AccountId fourth = open("fourth");
    assertThat(estimate(fourth, "0")).isEqualTo(credits("0.00"));
    assertThat(
            catchThrowableOfType(RatingOverflowException.class, () -> estimate(fourth, "3600"))
                .quantity())
        .isEqualByComparingTo("3600");
  }

  // ------------------------------------------------------------------ the deduction

  @Test
  void an_account_whose_usage_overflows_gets_a_typed_failure_and_nothing_posted_while_others_pay() {
    // 10^15 credits a token is 10^17 minor units: 92 tokens fit in a long, 100 do not.
    startWith(tokensAt(PriceModel.perUnit("1e15")));
    AccountId whale = open("whale");
    AccountId minnow = open("minnow");
    grant(whale, "90000000000000000.00");
    grant(minnow, "90000000000000000.00");
    Amount whaleBefore = available(whale);
    List<LedgerTransaction> whaleLedgerBefore = billing.ledger().transactions(ACME, whale);

    // 10:00-11:00: the whale sends 100 tokens (10^19 minor units), the minnow 2 (2 * 10^17).
    tokens(whale, "100", "2026-11-02T10:15:00Z");
    tokens(minnow, "2", "2026-11-02T10:20:00Z");

    // A dry run already says so, and writes nothing.
    clock.set(at("2026-11-02T11:05:00Z"));
    DeductionReport dry = billing.deductions().dryRun();
    assertThat(dry.failures()).hasSize(1);
    assertOverflowOfWhale(dry.failures().get(0), whale);
    assertThat(dry.postings()).extracting(DeductionPosting::account).containsOnly(minnow);

    DeductionReport report = runAt(at("2026-11-02T11:05:00Z"));
    assertThat(report.failures()).hasSize(1);
    assertOverflowOfWhale(report.failures().get(0), whale);

    // The minnow's 2 tokens are deducted as usual: 2 * 10^15 credits.
    assertThat(postedAmounts(minnow)).containsExactly(200_000_000_000_000_000L);
    assertThat(available(minnow)).isEqualTo(credits("88000000000000000.00"));

    // Nothing at all was posted for the whale: same ledger, same balance, no usage rows.
    assertThat(usagePostings(whale)).isEmpty();
    assertThat(billing.ledger().transactions(ACME, whale)).isEqualTo(whaleLedgerBefore);
    assertThat(available(whale)).isEqualTo(whaleBefore);
    assertThat(summaries(whale, TOKENS)).isEmpty();

    // The usage stays unrated: the next run meets the same overflow, and still posts nothing.
    DeductionReport again = runAt(at("2026-11-02T12:05:00Z"));
    assertThat(again.failures()).hasSize(1);
    assertOverflowOfWhale(again.failures().get(0), whale);
    assertThat(usagePostings(whale)).isEmpty();
    assertThat(available(whale)).isEqualTo(whaleBefore);
  }

  private static void assertOverflowOfWhale(DeductionReport.Failure failure, AccountId whale) {
    assertThat(failure.account()).isEqualTo(whale);
    assertThat(failure.meter()).isEqualTo(TOKENS);
    assertThat(failure.cause()).isInstanceOf(RatingOverflowException.class);
    RatingOverflowException overflow = (RatingOverflowException) failure.cause();
    assertThat(overflow.meter()).isEqualTo(TOKENS);
    assertThat(overflow.account()).isEqualTo(whale);
    assertThat(overflow.quantity()).isEqualByComparingTo("100");
    // The window the deduction was rating: from where the whale's rating stands (its first usage)
    // to the end of the hour.
    assertThat(overflow.windowStart()).contains(at("2026-11-02T10:15:00Z"));
    assertThat(overflow.windowEnd()).contains(at("2026-11-02T11:00:00Z"));
    assertThat(failure.reason()).contains(TOKENS).contains("100");
  }

  @Test
  void at_scale_12_a_meter_keeps_rating_after_its_lifetime_total_passes_what_a_long_holds() {
    // A trillionth-credit unit: a long holds 9.22 million credits. 1,000,000 credits an hour of GPU
    // (level 1 for an hour) is 10^18 minor units; an account using 5 hours a window posts 5 * 10^18
    // each window. Each posting fits, the lifetime total of two does not, and must not matter.
    start(
        MONDAY,
        MeteringSettings.of(
            PriceBook.builder(RoundingMode.HALF_EVEN)
                .meter(GPUS, MeterPrice.of(PICO, PriceModel.perUnit("1000000")))
                .build(),
            Duration.ofHours(1)));
    define(
        Meter.builder(ACME, GPUS, Aggregation.SUM).unit("gpu-hours").dimensions("model").build());
    AccountId lab = AccountId.of("lab");
    billing.credits().openAccount(OpenAccountRequest.builder(ACME, lab, PICO).actor(ADMIN).build());
    long fiveHours = 5_000_000_000_000_000_000L;

    for (int hour = 10; hour <= 12; hour++) {
      // Top up what the window will cost (a balance holds at most a long, too).
      billing
          .credits()
          .grant(
              GrantRequest.builder(ACME, lab, Amount.ofMinor(PICO, fiveHours))
                  .idempotencyKey(IdempotencyKey.of("top-up-" + hour))
                  .actor(ADMIN)
                  .reason("prepaid GPU time")
                  .build());
      String when = "2026-11-02T" + hour + ":15:00Z";
      clock.set(at(when));
      send(usage("gpu@" + hour, lab, GPUS, "5", at(when), Map.of("model", "h100")));
      DeductionReport report = runAt(at("2026-11-02T" + (hour + 1) + ":05:00Z"));
      assertThat(report.failures()).as("run after %s", when).isEmpty();
      assertThat(amounts(report)).containsExactly(fiveHours);
    }
    assertThat(postedAmounts(lab)).containsExactly(fiveHours, fiveHours, fiveHours);
    assertThat(billing.credits().balance(ACME, lab).available()).isEqualTo(Amount.zero(PICO));
    // The month's 15 GPU hours cost 1.5 * 10^19 minor units: no amount holds the month's row, and
    // the summary says so typed.
    assertThat(
            catchThrowableOfType(AmountOverflowException.class, () -> summaries(lab, GPUS))
                .getMessage())
        .contains("summary");
  }

  @Test
  void a_tiny_allowance_in_sixty_decimals_does_not_stop_the_rating_of_large_usage() {
    // The allowance and the usage are both legal; what is priced (usage less allowance) has more
    // digits than any input may have, and is rated exactly all the same.
    start(
        MONDAY,
        MeteringSettings.of(
            PriceBook.builder(RoundingMode.CEILING)
                .meter(
                    TOKENS,
                    MeterPrice.of(CREDITS, PriceModel.perUnit("0.01"))
                        .withIncluded(new BigDecimal("1e-60")))
                .build(),
            Duration.ofHours(1)));
    define(Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").dimensions("model").build());
    AccountId team = open("team");
    grant(team, "1000000000000000.00");
    tokens(team, "100000000000000000", "2026-11-02T10:15:00Z");
    DeductionReport report = runAt(at("2026-11-02T11:05:00Z"));
    assertThat(report.failures()).isEmpty();
    // (10^17 - 10^-60) * 0.01 credits, rounded up: 10^15 credits.
    assertThat(postedAmounts(team)).containsExactly(100_000_000_000_000_000L);
  }
}
