package dev.billingsdk.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.InvalidRequestException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PriceTest {
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CurrencyUnit EUR = CurrencyUnit.of("EUR");
  static final CurrencyUnit JPY = CurrencyUnit.of("JPY");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CreditUnit CENTI_CREDIT = CreditUnit.of("CREDIT", 2);

  /** The finance guide's exchange rate: 100 credits = $1. */
  static final Price HUNDRED_CREDITS_PER_DOLLAR =
      Price.of(Amount.of(USD, "1.00"), Amount.of(CREDIT, "100"));

  static Amount usd(String value) {
    return Amount.of(USD, value);
  }

  static Amount credits(long n) {
    return Amount.ofMinor(CREDIT, n);
  }

  @ParameterizedTest(name = "{0} credits are USD {1}")
  @CsvSource({"100, 1.00", "250, 2.50", "1, 0.01", "0, 0.00", "123456, 1234.56", "-300, -3.00"})
  void credits_convert_to_dollars_at_100_credits_per_dollar(long credits, String dollars) {
    assertThat(HUNDRED_CREDITS_PER_DOLLAR.convert(credits(credits), RoundingMode.UNNECESSARY))
        .isEqualTo(usd(dollars));
  }

  @ParameterizedTest(name = "USD {0} buys {1} credits")
  @CsvSource({"1.00, 100", "2.50, 250", "0.01, 1", "0.00, 0", "1234.56, 123456"})
  void dollars_convert_to_credits_at_100_credits_per_dollar(String dollars, long credits) {
    assertThat(HUNDRED_CREDITS_PER_DOLLAR.convert(usd(dollars), RoundingMode.UNNECESSARY))
        .isEqualTo(credits(credits));
  }

  @Test
  void an_inexact_conversion_without_a_rounding_mode_is_refused_with_the_exact_value() {
    Price threeCreditsPerDollar = Price.of(usd("1.00"), credits(3));

    RoundingRequiredException e =
        catchThrowableOfType(
            RoundingRequiredException.class,
            () -> threeCreditsPerDollar.convert(credits(1), RoundingMode.UNNECESSARY));

    assertThat(e.unit()).isEqualTo(USD);
    assertThat(e.value()).isGreaterThan(new BigDecimal("0.3333333"));
    assertThat(e.value()).isLessThan(new BigDecimal("0.3333334"));
  }

  @Test
  void dollars_to_whole_credits_can_be_inexact_too() {
    Price threeDollarsPerHundred = Price.of(usd("3.00"), credits(100));

    RoundingRequiredException e =
        catchThrowableOfType(
            RoundingRequiredException.class,
            () -> threeDollarsPerHundred.convert(usd("1.00"), RoundingMode.UNNECESSARY));

    assertThat(e.unit()).isEqualTo(CREDIT);
    assertThat(threeDollarsPerHundred.convert(usd("1.00"), RoundingMode.DOWN))
        .isEqualTo(credits(33));
    assertThat(threeDollarsPerHundred.convert(usd("1.00"), RoundingMode.UP)).isEqualTo(credits(34));
    assertThat(threeDollarsPerHundred.convert(usd("3.00"), RoundingMode.UNNECESSARY))
        .isEqualTo(credits(100));
  }

  @ParameterizedTest(name = "{0} credits at 2 credits per cent, {1}: USD {2}")
  @CsvSource({
    "1, HALF_EVEN, 0.00",
    "3, HALF_EVEN, 0.02",
    "5, HALF_EVEN, 0.02",
    "7, HALF_EVEN, 0.04",
    "1, HALF_UP, 0.01",
    "1, UP, 0.01",
    "3, UP, 0.02",
    "1, DOWN, 0.00",
    "3, DOWN, 0.01",
    "-3, DOWN, -0.01",
    "-3, UP, -0.02",
    "-3, FLOOR, -0.02",
    "4, UNNECESSARY, 0.02",
  })
  void explicit_rounding_modes_round_the_converted_minor_units(
      long credits, RoundingMode mode, String dollars) {
    Price twoCreditsPerCent = Price.of(usd("0.01"), credits(2));

    assertThat(twoCreditsPerCent.convert(credits(credits), mode)).isEqualTo(usd(dollars));
  }

  @Test
  void conversion_respects_each_side_scale() {
    // 100.00 credits (scale 2) per USD 1.00: 0.01 credit is 0.0001 USD.
    Price p = Price.of(usd("1.00"), Amount.of(CENTI_CREDIT, "100.00"));

    assertThat(p.convert(Amount.of(CENTI_CREDIT, "12.34"), RoundingMode.HALF_EVEN))
        .isEqualTo(usd("0.12"));
    assertThat(p.convert(Amount.of(CENTI_CREDIT, "50.00"), RoundingMode.UNNECESSARY))
        .isEqualTo(usd("0.50"));
    assertThat(p.convert(usd("0.01"), RoundingMode.UNNECESSARY))
        .isEqualTo(Amount.of(CENTI_CREDIT, "1.00"));

    // JPY has no minor unit: 1 credit = 1.5 yen.
    Price yen = Price.of(Amount.of(JPY, "3"), credits(2));
    assertThat(yen.convert(credits(4), RoundingMode.UNNECESSARY)).isEqualTo(Amount.of(JPY, "6"));
    assertThat(yen.convert(credits(3), RoundingMode.HALF_EVEN)).isEqualTo(Amount.of(JPY, "4"));
    assertThat(yen.convert(credits(1), RoundingMode.HALF_EVEN)).isEqualTo(Amount.of(JPY, "2"));
  }

  @Test
  void converting_a_unit_the_price_does_not_name_is_a_mismatch() {
    UnitMismatchException e =
        catchThrowableOfType(
            UnitMismatchException.class,
            () -> HUNDRED_CREDITS_PER_DOLLAR.convert(Amount.of(EUR, "1.00"), RoundingMode.DOWN));

    assertThat(e.expected()).isEqualTo(CREDIT);
    assertThat(e.actual()).isEqualTo(EUR);

    UnitMismatchException scale =
        catchThrowableOfType(
            UnitMismatchException.class,
            () ->
                HUNDRED_CREDITS_PER_DOLLAR.convert(
                    Amount.of(CENTI_CREDIT, "1.00"), RoundingMode.DOWN));
    assertThat(scale.actual()).isEqualTo(CENTI_CREDIT);
  }

  @Test
  void a_free_price_converts_credits_to_zero_but_refuses_money_to_credits() {
    Price free = Price.of(usd("0.00"), credits(100));

    assertThat(free.convert(credits(500), RoundingMode.UNNECESSARY)).isEqualTo(usd("0.00"));
    InvalidRequestException e =
        catchThrowableOfType(
            InvalidRequestException.class,
            () -> free.convert(usd("1.00"), RoundingMode.UNNECESSARY));
    assertThat(e.field()).isEqualTo("amount");
    assertThat(e.value()).isEqualTo("USD 1.00");
  }

  @Test
  void a_conversion_past_the_long_range_overflows() {
    Price dear = Price.of(usd("1000.00"), credits(1));

    assertThat(
            catchThrowableOfType(
                AmountOverflowException.class,
                () -> dear.convert(credits(Long.MAX_VALUE / 10), RoundingMode.UNNECESSARY)))
        .isNotNull();
  }

  @Test
  void a_price_must_have_a_non_negative_cost_a_positive_per_and_two_units() {
    InvalidRequestException negative =
        catchThrowableOfType(
            InvalidRequestException.class, () -> Price.of(usd("-1.00"), credits(100)));
    assertThat(negative.field()).isEqualTo("cost");
    assertThat(negative.value()).isEqualTo("USD -1.00");

    InvalidRequestException zeroPer =
        catchThrowableOfType(
            InvalidRequestException.class, () -> Price.of(usd("1.00"), credits(0)));
    assertThat(zeroPer.field()).isEqualTo("per");
    assertThat(zeroPer.value()).isEqualTo("CREDIT 0");

    InvalidRequestException sameUnit =
        catchThrowableOfType(
            InvalidRequestException.class, () -> Price.of(usd("1.00"), usd("2.00")));
    assertThat(sameUnit.field()).isEqualTo("per");
    assertThat(sameUnit.value()).isEqualTo("USD 2.00");
  }

  @Test
  void cheaper_prices_order_first() {
    Price bulk = Price.of(usd("0.80"), credits(100));
    Price standard = HUNDRED_CREDITS_PER_DOLLAR;
    Price standardInBigPacks = Price.of(usd("10.00"), credits(1000));
    Price dear = Price.of(usd("1.01"), credits(100));
    Price free = Price.of(usd("0.00"), credits(100));

    List<Price> prices = new ArrayList<>(List.of(dear, standard, free, bulk));
    prices.sort(null);

    assertThat(prices).containsExactly(free, bulk, standard, dear);
    assertThat(standard.compareTo(standardInBigPacks)).isZero();
    assertThat(standard).isNotEqualTo(standardInBigPacks);
  }

  @Test
  void price_order_is_exact_where_floating_point_is_not() {
    // 2^53 + 1 and 2^53 cents per credit are the same double.
    Price a = Price.of(Amount.ofMinor(USD, 9_007_199_254_740_993L), credits(1));
    Price b = Price.of(Amount.ofMinor(USD, 9_007_199_254_740_992L), credits(1));
    assertThat((double) 9_007_199_254_740_993L).isEqualTo((double) 9_007_199_254_740_992L);

    assertThat(a.compareTo(b)).isPositive();
    assertThat(b.compareTo(a)).isNegative();

    // 1/3 against 333/1000 dollars per credit.
    Price third = Price.of(usd("1.00"), credits(3));
    Price almostThird = Price.of(usd("3.33"), credits(10));
    assertThat(almostThird.compareTo(third)).isNegative();
    assertThat(Integer.signum(third.compareTo(almostThird)))
        .isEqualTo(crossCheck(third, almostThird));

    // Huge values whose cross products overflow a long.
    Price hugeA = Price.of(Amount.ofMinor(USD, Long.MAX_VALUE), credits(Long.MAX_VALUE - 1));
    Price hugeB = Price.of(Amount.ofMinor(USD, Long.MAX_VALUE - 1), credits(Long.MAX_VALUE - 2));
    assertThat(Integer.signum(hugeA.compareTo(hugeB))).isEqualTo(crossCheck(hugeA, hugeB));
    assertThat(hugeA.compareTo(hugeB)).isNegative();
  }

  @Test
  void prices_in_different_units_order_by_unit_code_deterministically() {
    Price euro = Price.of(Amount.of(EUR, "100.00"), credits(1));
    Price dollar = Price.of(usd("0.01"), credits(1));

    assertThat(euro.compareTo(dollar)).isNegative();
    assertThat(dollar.compareTo(euro)).isPositive();
  }

  @Test
  void to_string_reads_as_cost_per_quantity() {
    assertThat(HUNDRED_CREDITS_PER_DOLLAR).hasToString("USD 1.00 per CREDIT 100");
  }

  /** The order of two prices in the same units, computed with BigDecimal in whole units. */
  static int crossCheck(Price x, Price y) {
    BigDecimal left = x.cost().toDecimal().multiply(y.per().toDecimal());
    BigDecimal right = y.cost().toDecimal().multiply(x.per().toDecimal());
    return Integer.signum(left.compareTo(right));
  }
}
