package dev.billingsdk.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.InvalidRequestException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The exact fractions rating computes in: hand-checked examples. */
class RationalTest {

  static Rational r(long n, long d) {
    return Rational.of(BigInteger.valueOf(n), BigInteger.valueOf(d));
  }

  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  // ------------------------------------------------------------------ construction

  @Test
  void a_fraction_is_kept_in_lowest_terms() {
    Rational x = r(6, 4);

    assertThat(x.numerator()).isEqualTo(big(3));
    assertThat(x.denominator()).isEqualTo(big(2));
    assertThat(r(100, 25)).isEqualTo(Rational.of(4));
    assertThat(r(100, 25).isWhole()).isTrue();
    assertThat(r(36, 3600)).isEqualTo(r(1, 100));
  }

  @Test
  void the_sign_always_sits_on_the_numerator() {
    assertThat(r(6, -4).numerator()).isEqualTo(big(-3));
    assertThat(r(6, -4).denominator()).isEqualTo(big(2));
    assertThat(r(-6, -4)).isEqualTo(r(3, 2));
    assertThat(r(-6, 4)).isEqualTo(r(3, -2));
    assertThat(r(-6, 4).signum()).isEqualTo(-1);
    assertThat(r(-6, -4).signum()).isEqualTo(1);
  }

  @Test
  void zero_has_one_form_whatever_the_denominator() {
    assertThat(r(0, 7)).isSameAs(Rational.ZERO);
    assertThat(r(0, -7)).isSameAs(Rational.ZERO);
    assertThat(Rational.ZERO.denominator()).isEqualTo(BigInteger.ONE);
    assertThat(Rational.ZERO.signum()).isZero();
    assertThat(r(0, 7).hashCode()).isEqualTo(Rational.ZERO.hashCode());
  }

  @Test
  void a_decimal_becomes_its_exact_fraction() {
    assertThat(Rational.of(new BigDecimal("0.0002"))).isEqualTo(r(1, 5000));
    assertThat(Rational.of(new BigDecimal("1.50"))).isEqualTo(r(3, 2));
    assertThat(Rational.of(new BigDecimal("-0.125"))).isEqualTo(r(-1, 8));
    assertThat(Rational.of(new BigDecimal("1E+3"))).isEqualTo(Rational.of(1000));
    assertThat(Rational.of(new BigDecimal("0.000000000001"))).isEqualTo(r(1, 1_000_000_000_000L));
    assertThat(Rational.of(new BigDecimal("0.000"))).isSameAs(Rational.ZERO);
    assertThat(Rational.of(new BigDecimal("42"))).isEqualTo(Rational.of(42));
  }

  // ------------------------------------------------------------------ arithmetic

  @Test
  void sums_and_differences_are_exact() {
    assertThat(r(1, 3).plus(r(1, 6))).isEqualTo(r(1, 2));
    assertThat(r(1, 4).plus(r(1, 4))).isEqualTo(r(1, 2));
    assertThat(r(1, 3).minus(r(1, 2))).isEqualTo(r(-1, 6));
    assertThat(r(2, 3).minus(r(2, 3))).isSameAs(Rational.ZERO);
    // 0.1 + 0.2 is 0.3 exactly, unlike in double.
    assertThat(Rational.of(new BigDecimal("0.1")).plus(Rational.of(new BigDecimal("0.2"))))
        .isEqualTo(Rational.of(new BigDecimal("0.3")));
  }

  @Test
  void products_and_quotients_are_exact() {
    assertThat(r(2, 3).times(r(9, 4))).isEqualTo(r(3, 2));
    assertThat(r(-2, 3).times(r(9, -4))).isEqualTo(r(3, 2));
    assertThat(Rational.of(12345).times(new BigDecimal("0.0002"))).isEqualTo(r(2469, 1000));
    assertThat(Rational.of(10).dividedBy(Rational.of(3600))).isEqualTo(r(1, 360));
    assertThat(r(1, 3).dividedBy(r(-1, 6))).isEqualTo(Rational.of(-2));
    assertThat(Rational.ZERO.times(r(5, 7))).isSameAs(Rational.ZERO);
  }

  @Test
  void dividing_by_zero_is_refused_naming_the_divisor() {
    assertThatThrownBy(() -> Rational.ONE.dividedBy(Rational.ZERO))
        .isInstanceOfSatisfying(
            dev.billingsdk.InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("divisor"));
  }

  @Test
  void negation_flips_the_sign_only() {
    assertThat(r(3, 7).negate()).isEqualTo(r(-3, 7));
    assertThat(r(3, 7).negate().negate()).isEqualTo(r(3, 7));
    assertThat(Rational.ZERO.negate()).isSameAs(Rational.ZERO);
  }

  @Test
  void order_is_by_value() {
    assertThat(r(-1, 2)).isLessThan(r(1, 3));
    assertThat(r(1, 3)).isLessThan(r(1, 2));
    assertThat(r(-1, 2)).isLessThan(r(-1, 3));
    assertThat(r(2, 4).compareTo(r(1, 2))).isZero();
    assertThat(r(1, 3).max(r(1, 2))).isEqualTo(r(1, 2));
    assertThat(r(1, 3).min(r(1, 2))).isEqualTo(r(1, 3));
    assertThat(r(-5, 3).max(Rational.ZERO)).isSameAs(Rational.ZERO);
    assertThat(r(10, 3600).compareTo(r(1, 360))).isZero();
  }

  @Test
  void equality_is_by_value_and_only_between_rationals() {
    assertThat(r(2, 4)).isEqualTo(r(1, 2)).hasSameHashCodeAs(r(1, 2));
    assertThat(r(1, 2)).isNotEqualTo(r(1, 3));
    assertThat(r(1, 2)).isNotEqualTo(r(3, 2));
    assertThat(r(1, 2)).isNotEqualTo(r(-1, 2));
    assertThat(Rational.of(2)).isNotEqualTo(2L);
    assertThat(Rational.ONE).isNotEqualTo(null);
  }

  // ------------------------------------------------------------------ rounding

  /** Expected whole numbers for +-5/2, +-7/3, +-1/2, +-8/3 in every mode (but UNNECESSARY). */
  @Test
  void rounding_follows_each_mode_on_ties_and_non_ties_of_both_signs() {
    Map<RoundingMode, long[]> expected = new EnumMap<>(RoundingMode.class);
    // columns:                                    5/2 -5/2 7/3 -7/3 1/2 -1/2 8/3 -8/3
    expected.put(RoundingMode.UP, new long[] {3, -3, 3, -3, 1, -1, 3, -3});
    expected.put(RoundingMode.DOWN, new long[] {2, -2, 2, -2, 0, 0, 2, -2});
    expected.put(RoundingMode.CEILING, new long[] {3, -2, 3, -2, 1, 0, 3, -2});
    expected.put(RoundingMode.FLOOR, new long[] {2, -3, 2, -3, 0, -1, 2, -3});
    expected.put(RoundingMode.HALF_UP, new long[] {3, -3, 2, -2, 1, -1, 3, -3});
    expected.put(RoundingMode.HALF_DOWN, new long[] {2, -2, 2, -2, 0, 0, 3, -3});
    expected.put(RoundingMode.HALF_EVEN, new long[] {2, -2, 2, -2, 0, 0, 3, -3});
    Rational[] values = {
      r(5, 2), r(-5, 2), r(7, 3), r(-7, 3), r(1, 2), r(-1, 2), r(8, 3), r(-8, 3)
    };

    for (Map.Entry<RoundingMode, long[]> e : expected.entrySet()) {
      for (int i = 0; i < values.length; i++) {
        assertThat(values[i].round(e.getKey()))
            .as("%s rounded %s", values[i], e.getKey())
            .isEqualTo(big(e.getValue()[i]));
      }
    }
  }

  @Test
  void whole_values_round_to_themselves_in_every_mode() {
    for (RoundingMode mode : RoundingMode.values()) {
      assertThat(Rational.of(-17).round(mode)).isEqualTo(big(-17));
      assertThat(Rational.ZERO.round(mode)).isEqualTo(BigInteger.ZERO);
      assertThat(r(3600, 360).round(mode)).isEqualTo(big(10));
    }
  }

  @Test
  void UNNECESSARY_refuses_to_round_a_fraction() {
    assertThatThrownBy(() -> r(1, 3).round(RoundingMode.UNNECESSARY))
        .isInstanceOfSatisfying(
            dev.billingsdk.InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("mode"));
  }

  @Test
  void a_tiny_sub_minor_value_rounds_by_mode_not_to_zero_always() {
    Rational tiny = r(1, 1_000_000_000_000L);

    assertThat(tiny.round(RoundingMode.UP)).isEqualTo(BigInteger.ONE);
    assertThat(tiny.round(RoundingMode.CEILING)).isEqualTo(BigInteger.ONE);
    assertThat(tiny.round(RoundingMode.HALF_UP)).isEqualTo(BigInteger.ZERO);
    assertThat(tiny.negate().round(RoundingMode.FLOOR)).isEqualTo(BigInteger.ONE.negate());
    assertThat(tiny.ceiling()).isEqualTo(BigInteger.ONE);
    assertThat(r(-7, 2).ceiling()).isEqualTo(big(-3));
  }

  @Test
  void rounding_is_exact_far_beyond_double_and_long_precision() {
    // (10^30 + 1/2) rounds HALF_EVEN to 10^30 and HALF_UP to 10^30 + 1.
    BigInteger e30 = BigInteger.TEN.pow(30);
    Rational x = Rational.of(e30.multiply(big(2)).add(BigInteger.ONE), big(2));

    assertThat(x.round(RoundingMode.HALF_EVEN)).isEqualTo(e30);
    assertThat(x.round(RoundingMode.HALF_UP)).isEqualTo(e30.add(BigInteger.ONE));
    assertThat(x.round(RoundingMode.HALF_DOWN)).isEqualTo(e30);
  }

  // ------------------------------------------------------------------ text

  @Test
  void to_string_writes_n_or_n_over_d_in_lowest_terms() {
    assertThat(r(6, 4)).hasToString("3/2");
    assertThat(r(6, -4)).hasToString("-3/2");
    assertThat(Rational.of(-5)).hasToString("-5");
    assertThat(Rational.ZERO).hasToString("0");
    assertThat(r(10, 3600)).hasToString("1/360");
  }

  @Test
  void parse_reads_what_to_string_writes_and_normalises() {
    assertThat(Rational.parse("3/2")).isEqualTo(r(3, 2));
    assertThat(Rational.parse("-3/2")).isEqualTo(r(-3, 2));
    assertThat(Rational.parse("17")).isEqualTo(Rational.of(17));
    assertThat(Rational.parse("0")).isSameAs(Rational.ZERO);
    assertThat(Rational.parse("6/4")).isEqualTo(r(3, 2));
    assertThat(Rational.parse("123456789012345678901234567891/7").toString())
        .isEqualTo("123456789012345678901234567891/7");
  }

  // ------------------------------------------------------------------ refusals

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "1.5", "1/", "/2", "1/2/3", " 1/2", "1 /2", "1/2 ", "0x10"})
  void text_that_is_not_n_or_n_over_d_is_refused_naming_rational(String text) {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> Rational.parse(text));

    assertThat(e).as("parse(\"%s\")", text).isNotNull();
    assertThat(e.field()).isEqualTo("rational");
    assertThat(e.value()).isEqualTo(text);
  }

  @Test
  void parse_reads_text_up_to_its_limit_and_refuses_longer_text_naming_rational() {
    String longest = "1" + "0".repeat(Rational.MAX_TEXT - 1);
    String tooLong = longest + "0";

    assertThat(Rational.parse(longest)).isEqualTo(Rational.of(BigInteger.TEN.pow(1_999), big(1)));
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> Rational.parse(tooLong));
    assertThat(e.field()).isEqualTo("rational");
    assertThat(e.getMessage()).contains("must be at most 2000 characters");
  }

  @Test
  void missing_text_is_refused_naming_rational() {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> Rational.parse(null));

    assertThat(e.field()).isEqualTo("rational");
  }

  @Test
  void a_zero_denominator_is_refused_naming_the_denominator() {
    InvalidRequestException e =
        catchThrowableOfType(
            InvalidRequestException.class, () -> Rational.of(BigInteger.ONE, BigInteger.ZERO));
    InvalidRequestException parsed =
        catchThrowableOfType(InvalidRequestException.class, () -> Rational.parse("1/0"));

    assertThat(e.field()).isEqualTo("denominator");
    assertThat(parsed.field()).isEqualTo("denominator");
  }

  @Test
  void missing_parts_are_refused_by_name() {
    assertThat(
            catchThrowableOfType(
                    InvalidRequestException.class, () -> Rational.of(null, BigInteger.ONE))
                .field())
        .isEqualTo("numerator");
    assertThat(
            catchThrowableOfType(
                    InvalidRequestException.class, () -> Rational.of(BigInteger.ONE, null))
                .field())
        .isEqualTo("denominator");
    assertThat(
            catchThrowableOfType(
                    InvalidRequestException.class, () -> Rational.of((BigDecimal) null))
                .field())
        .isEqualTo("value");
  }
}
