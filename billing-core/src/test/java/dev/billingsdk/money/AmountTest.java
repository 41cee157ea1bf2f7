package dev.billingsdk.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.InvalidRequestException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AmountTest {
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CurrencyUnit EUR = CurrencyUnit.of("EUR");
  static final CurrencyUnit JPY = CurrencyUnit.of("JPY");
  static final CurrencyUnit KWD = CurrencyUnit.of("KWD");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CreditUnit MILLI_CREDIT = CreditUnit.of("CREDIT", 3);

  @ParameterizedTest(name = "{0} {1} is {2} minor units")
  @CsvSource({
    "USD, 12.34, 1234",
    "USD, 12.3, 1230",
    "USD, 12, 1200",
    "USD, 0.01, 1",
    "USD, -0.01, -1",
    "USD, 92233720368547758.07, 9223372036854775807",
    "USD, -92233720368547758.08, -9223372036854775808",
    "JPY, 1500, 1500",
    "JPY, 1500.000, 1500",
    "KWD, 1.234, 1234",
    "KWD, 0.001, 1",
  })
  void decimal_text_parses_exactly_into_minor_units(String code, String value, long minor) {
    Amount amount = Amount.of(CurrencyUnit.of(code), value);

    assertThat(amount.minor()).isEqualTo(minor);
    assertThat(amount.unit()).isEqualTo(CurrencyUnit.of(code));
    assertThat(amount.toDecimal()).isEqualByComparingTo(new BigDecimal(value));
  }

  @ParameterizedTest(name = "{0} {1} needs rounding")
  @CsvSource({"USD, 1.234", "USD, 0.001", "JPY, 1.5", "JPY, 0.1", "KWD, 1.2345", "USD, -0.005"})
  void more_decimals_than_the_scale_require_rounding(String code, String value) {
    CurrencyUnit unit = CurrencyUnit.of(code);
    RoundingRequiredException e =
        catchThrowableOfType(RoundingRequiredException.class, () -> Amount.of(unit, value));

    assertThat(e).isNotNull();
    assertThat(e.value()).isEqualByComparingTo(new BigDecimal(value));
    assertThat(e.unit()).isEqualTo(unit);
  }

  @Test
  void trailing_zeros_beyond_the_scale_are_exact_and_need_no_rounding() {
    assertThat(Amount.of(USD, "1.2300000").minor()).isEqualTo(123);
    assertThat(Amount.of(JPY, new BigDecimal("7.00")).minor()).isEqualTo(7);
  }

  @ParameterizedTest(name = "{0} rounded {1} is {2}")
  @CsvSource({
    "1.235, HALF_EVEN, 124",
    "1.225, HALF_EVEN, 122",
    "1.225, HALF_UP, 123",
    "1.225, HALF_DOWN, 122",
    "1.231, UP, 124",
    "1.239, DOWN, 123",
    "-1.231, UP, -124",
    "-1.239, DOWN, -123",
    "-1.231, FLOOR, -124",
    "-1.239, CEILING, -123",
    "1.23, UNNECESSARY, 123",
  })
  void an_explicit_rounding_mode_rounds_to_the_scale(String value, RoundingMode mode, long minor) {
    assertThat(Amount.of(USD, new BigDecimal(value), mode).minor()).isEqualTo(minor);
  }

  @Test
  void rounding_to_a_credit_unit_uses_its_declared_scale() {
    assertThat(Amount.of(MILLI_CREDIT, new BigDecimal("0.0002"), RoundingMode.UP).minor())
        .isEqualTo(1);
    assertThat(Amount.of(MILLI_CREDIT, new BigDecimal("0.0002"), RoundingMode.DOWN).minor())
        .isZero();
    assertThat(Amount.of(CREDIT, new BigDecimal("2.5"), RoundingMode.HALF_EVEN).minor())
        .isEqualTo(2);
  }

  @Test
  void a_value_beyond_a_long_of_minor_units_overflows_instead_of_wrapping() {
    var e =
        catchThrowableOfType(
            AmountOverflowException.class, () -> Amount.of(USD, "92233720368547758.08"));
    assertThat(e.getMessage()).contains("92233720368547758.08");
    assertThat(
            catchThrowableOfType(
                AmountOverflowException.class,
                () -> Amount.of(JPY, new BigDecimal("1E+19"), RoundingMode.DOWN)))
        .isNotNull();
  }

  @Test
  void text_that_is_not_a_number_is_an_invalid_value() {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> Amount.of(USD, "12,34"));

    assertThat(e.field()).isEqualTo("value");
    assertThat(e.value()).isEqualTo("12,34");
  }

  @Test
  void a_missing_unit_is_an_invalid_request() {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> Amount.ofMinor(null, 1));

    assertThat(e.field()).isEqualTo("unit");
    assertThat(e.value()).isEqualTo("null");
  }

  @Test
  void plus_minus_and_negate_are_exact() {
    Amount a = Amount.of(USD, "10.05");
    Amount b = Amount.of(USD, "0.97");

    assertThat(a.plus(b)).isEqualTo(Amount.ofMinor(USD, 1102));
    assertThat(a.minus(b)).isEqualTo(Amount.ofMinor(USD, 908));
    assertThat(b.minus(a)).isEqualTo(Amount.ofMinor(USD, -908));
    assertThat(a.negate()).isEqualTo(Amount.ofMinor(USD, -1005));
    assertThat(Amount.zero(USD).negate()).isEqualTo(Amount.zero(USD));
  }

  @Test
  void plus_past_the_long_range_overflows() {
    Amount max = Amount.ofMinor(USD, Long.MAX_VALUE);
    Amount min = Amount.ofMinor(USD, Long.MIN_VALUE);
    Amount cent = Amount.ofMinor(USD, 1);

    assertThat(catchThrowableOfType(AmountOverflowException.class, () -> max.plus(cent)))
        .hasMessageContaining("+");
    assertThat(
            catchThrowableOfType(
                AmountOverflowException.class, () -> min.plus(Amount.ofMinor(USD, -1))))
        .isNotNull();
    assertThat(max.plus(Amount.ofMinor(USD, -1)).minor()).isEqualTo(Long.MAX_VALUE - 1);
    assertThat(max.plus(min).minor()).isEqualTo(-1);
  }

  @Test
  void minus_past_the_long_range_overflows() {
    Amount max = Amount.ofMinor(CREDIT, Long.MAX_VALUE);
    Amount min = Amount.ofMinor(CREDIT, Long.MIN_VALUE);

    assertThat(
            catchThrowableOfType(
                AmountOverflowException.class, () -> min.minus(Amount.ofMinor(CREDIT, 1))))
        .hasMessageContaining("-");
    assertThat(catchThrowableOfType(AmountOverflowException.class, () -> max.minus(min)))
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                AmountOverflowException.class, () -> Amount.zero(CREDIT).minus(min)))
        .isNotNull();
    assertThat(min.minus(min).minor()).isZero();
  }

  @Test
  void negating_the_smallest_long_overflows() {
    Amount min = Amount.ofMinor(USD, Long.MIN_VALUE);

    assertThat(catchThrowableOfType(AmountOverflowException.class, min::negate)).isNotNull();
    assertThat(Amount.ofMinor(USD, Long.MAX_VALUE).negate().minor()).isEqualTo(Long.MIN_VALUE + 1);
  }

  @Test
  void adding_a_different_unit_is_a_mismatch_naming_both_units() {
    Amount dollars = Amount.of(USD, "1.00");
    Amount euros = Amount.of(EUR, "1.00");

    UnitMismatchException plus =
        catchThrowableOfType(UnitMismatchException.class, () -> dollars.plus(euros));
    assertThat(plus.expected()).isEqualTo(USD);
    assertThat(plus.actual()).isEqualTo(EUR);

    UnitMismatchException minus =
        catchThrowableOfType(UnitMismatchException.class, () -> euros.minus(dollars));
    assertThat(minus.expected()).isEqualTo(EUR);
    assertThat(minus.actual()).isEqualTo(USD);

    UnitMismatchException compare =
        catchThrowableOfType(
            UnitMismatchException.class, () -> dollars.compareTo(Amount.ofMinor(CREDIT, 100)));
    assertThat(compare.expected()).isEqualTo(USD);
    assertThat(compare.actual()).isEqualTo(CREDIT);
  }

  @Test
  void credit_units_of_different_scale_do_not_mix() {
    UnitMismatchException e =
        catchThrowableOfType(
            UnitMismatchException.class,
            () -> Amount.ofMinor(CREDIT, 1).plus(Amount.ofMinor(MILLI_CREDIT, 1000)));

    assertThat(e.expected()).isEqualTo(CREDIT);
    assertThat(e.actual()).isEqualTo(MILLI_CREDIT);
  }

  @Test
  void equality_ignores_the_scale_of_the_decimal_input() {
    Amount oneDotZero = Amount.of(USD, "1.0");
    Amount oneDotZeroZero = Amount.of(USD, "1.00");
    Amount one = Amount.of(USD, new BigDecimal("1"));

    assertThat(oneDotZero).isEqualTo(oneDotZeroZero).isEqualTo(one);
    assertThat(oneDotZero.hashCode()).isEqualTo(oneDotZeroZero.hashCode());
    assertThat(oneDotZero.minor()).isEqualTo(100);
    assertThat(oneDotZero).hasToString("USD 1.00");
  }

  @Test
  void equality_needs_the_same_unit() {
    assertThat(Amount.of(USD, "1.00")).isNotEqualTo(Amount.of(EUR, "1.00"));
    assertThat(Amount.ofMinor(CREDIT, 1)).isNotEqualTo(Amount.ofMinor(MILLI_CREDIT, 1));
  }

  @Test
  void comparison_min_max_and_signs() {
    Amount small = Amount.of(KWD, "0.001");
    Amount big = Amount.of(KWD, "1.000");

    assertThat(small).isLessThan(big);
    assertThat(small.min(big)).isSameAs(small);
    assertThat(small.max(big)).isSameAs(big);
    assertThat(small.isPositive()).isTrue();
    assertThat(small.negate().isNegative()).isTrue();
    assertThat(Amount.zero(KWD).isZero()).isTrue();
    assertThat(Amount.zero(KWD).isPositive()).isFalse();
    assertThat(Amount.zero(KWD).isNegative()).isFalse();
  }

  @Test
  void to_decimal_and_to_string_show_the_unit_scale() {
    assertThat(Amount.ofMinor(KWD, 1).toDecimal()).isEqualTo(new BigDecimal("0.001"));
    assertThat(Amount.ofMinor(JPY, 1500).toDecimal()).isEqualTo(new BigDecimal("1500"));
    assertThat(Amount.ofMinor(USD, -5)).hasToString("USD -0.05");
    assertThat(Amount.ofMinor(MILLI_CREDIT, 2500)).hasToString("CREDIT 2.500");
  }

  @Test
  void whole_units_are_scaled_to_the_units_minor_units() {
    assertThat(Amount.of(USD, 12)).isEqualTo(Amount.ofMinor(USD, 1_200));
    assertThat(Amount.of(JPY, 12)).isEqualTo(Amount.ofMinor(JPY, 12));
    assertThat(Amount.of(KWD, -3)).isEqualTo(Amount.ofMinor(KWD, -3_000));
    assertThat(Amount.of(MILLI_CREDIT, 0)).isEqualTo(Amount.zero(MILLI_CREDIT));
    assertThat(Amount.of(USD, Long.MAX_VALUE / 100)).isEqualTo(Amount.of(USD, "92233720368547758"));
    AmountOverflowException overflow =
        catchThrowableOfType(AmountOverflowException.class, () -> Amount.of(USD, Long.MAX_VALUE));
    assertThat(overflow).isNotNull();
    assertThat(overflow.getMessage()).contains("USD");
  }
}
