package dev.billingsdk.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of {@link Rational} (rule 6 computes in it): every value is in lowest terms with a
 * positive denominator and means the fraction it was made from; arithmetic is the arithmetic of
 * fractions; order agrees with cross-multiplication; rounding in every mode agrees both with an
 * independent floor-and-remainder oracle and with {@link BigDecimal} division of the unreduced
 * fraction; text round-trips. Numerators and denominators reach far beyond {@code long}. 1000 tries
 * each.
 */
class RationalPropertiesTest {

  /** Integers from tiny to 40 digits, of both signs, zero included. */
  @Provide
  Arbitrary<BigInteger> integers() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.valueOf(-20), BigInteger.valueOf(20)),
        Arbitraries.longs().map(BigInteger::valueOf),
        Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)));
  }

  @Provide
  Arbitrary<BigInteger> nonZero() {
    return integers().filter(i -> i.signum() != 0);
  }

  @Provide
  Arbitrary<Rational> rationals() {
    return Combinators.combine(integers(), nonZero()).as(Rational::of);
  }

  @Provide
  Arbitrary<RoundingMode> modes() {
    return Arbitraries.of(RoundingMode.class).filter(m -> m != RoundingMode.UNNECESSARY);
  }

  @Property(tries = 1000)
  void a_made_fraction_is_in_lowest_terms_with_a_positive_denominator_and_keeps_its_value(
      @ForAll("integers") BigInteger n, @ForAll("nonZero") BigInteger d) {
    Rational x = Rational.of(n, d);

    assertThat(x.denominator().signum()).isPositive();
    assertThat(x.numerator().gcd(x.denominator())).isEqualTo(BigInteger.ONE);
    // x.n / x.d == n / d  <=>  x.n * d == n * x.d
    assertThat(x.numerator().multiply(d)).isEqualTo(n.multiply(x.denominator()));
    assertThat(x.signum()).isEqualTo(n.signum() * d.signum());
  }

  @Property(tries = 1000)
  void equal_fractions_are_equal_objects_with_equal_hashes(
      @ForAll("integers") BigInteger n,
      @ForAll("nonZero") BigInteger d,
      @ForAll("nonZero") BigInteger k) {
    Rational a = Rational.of(n, d);
    Rational b = Rational.of(n.multiply(k), d.multiply(k));

    assertThat(b).isEqualTo(a);
    assertThat(b.hashCode()).isEqualTo(a.hashCode());
    assertThat(b.compareTo(a)).isZero();
  }

  @Property(tries = 1000)
  void plus_and_times_are_the_arithmetic_of_fractions(
      @ForAll("rationals") Rational a, @ForAll("rationals") Rational b) {
    BigInteger an = a.numerator();
    BigInteger ad = a.denominator();
    BigInteger bn = b.numerator();
    BigInteger bd = b.denominator();

    assertThat(a.plus(b))
        .isEqualTo(Rational.of(an.multiply(bd).add(bn.multiply(ad)), ad.multiply(bd)));
    assertThat(a.minus(b))
        .isEqualTo(Rational.of(an.multiply(bd).subtract(bn.multiply(ad)), ad.multiply(bd)));
    assertThat(a.times(b)).isEqualTo(Rational.of(an.multiply(bn), ad.multiply(bd)));
    assertThat(a.plus(b)).isEqualTo(b.plus(a));
    assertThat(a.times(b)).isEqualTo(b.times(a));
    assertThat(a.plus(b).minus(b)).isEqualTo(a);
    assertThat(a.plus(a.negate())).isEqualTo(Rational.ZERO);
    if (b.signum() != 0) {
      assertThat(a.times(b).dividedBy(b)).isEqualTo(a);
      assertThat(a.dividedBy(b).times(b)).isEqualTo(a);
    }
  }

  @Property(tries = 1000)
  void addition_is_associative_and_multiplication_distributes(
      @ForAll("rationals") Rational a,
      @ForAll("rationals") Rational b,
      @ForAll("rationals") Rational c) {
    assertThat(a.plus(b).plus(c)).isEqualTo(a.plus(b.plus(c)));
    assertThat(a.times(b.plus(c))).isEqualTo(a.times(b).plus(a.times(c)));
  }

  @Property(tries = 1000)
  void order_agrees_with_cross_multiplication_and_with_the_sign_of_the_difference(
      @ForAll("rationals") Rational a, @ForAll("rationals") Rational b) {
    int cross =
        a.numerator().multiply(b.denominator()).compareTo(b.numerator().multiply(a.denominator()));

    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(cross);
    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(a.minus(b).signum());
    assertThat(Integer.signum(b.compareTo(a))).isEqualTo(-cross);
    assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
    assertThat(a.max(b).compareTo(a)).isGreaterThanOrEqualTo(0);
    assertThat(a.max(b).compareTo(b)).isGreaterThanOrEqualTo(0);
    assertThat(a.min(b).compareTo(a)).isLessThanOrEqualTo(0);
  }

  @Property(tries = 1000)
  void rounding_agrees_with_an_independent_floor_and_remainder_oracle(
      @ForAll("integers") BigInteger n,
      @ForAll("nonZero") BigInteger d,
      @ForAll("modes") RoundingMode mode) {
    assertThat(Rational.of(n, d).round(mode)).isEqualTo(oracle(n, d, mode));
  }

  @Property(tries = 1000)
  void rounding_agrees_with_BigDecimal_division_of_the_unreduced_fraction(
      @ForAll("integers") BigInteger n,
      @ForAll("nonZero") BigInteger d,
      @ForAll("modes") RoundingMode mode) {
    BigInteger viaDecimal =
        new BigDecimal(n).divide(new BigDecimal(d), 0, mode).toBigIntegerExact();

    assertThat(Rational.of(n, d).round(mode)).isEqualTo(viaDecimal);
  }

  @Property(tries = 1000)
  void UNNECESSARY_rounds_exactly_when_the_value_is_whole(
      @ForAll("integers") BigInteger n, @ForAll("nonZero") BigInteger d) {
    Rational x = Rational.of(n, d);
    boolean whole = n.mod(d.abs()).signum() == 0;

    assertThat(x.isWhole()).isEqualTo(whole);
    if (whole) {
      assertThat(x.round(RoundingMode.UNNECESSARY)).isEqualTo(n.divide(d));
    } else {
      assertThat(
              catchThrowableOfType(
                  dev.billingsdk.InvalidRequestException.class,
                  () -> x.round(RoundingMode.UNNECESSARY)))
          .isNotNull();
    }
  }

  @Property(tries = 1000)
  void rounded_values_are_within_one_of_the_exact_value_and_on_the_side_the_mode_says(
      @ForAll("rationals") Rational x, @ForAll("modes") RoundingMode mode) {
    Rational rounded = Rational.of(new BigDecimal(x.round(mode)));
    Rational error = rounded.minus(x);

    assertThat(error.compareTo(Rational.ONE)).isLessThan(0);
    assertThat(error.compareTo(Rational.ONE.negate())).isGreaterThan(0);
    switch (mode) {
      case CEILING -> assertThat(error.signum()).isGreaterThanOrEqualTo(0);
      case FLOOR -> assertThat(error.signum()).isLessThanOrEqualTo(0);
      case UP ->
          assertThat(rounded.signum() * x.signum() >= 0 && abs(rounded).compareTo(abs(x)) >= 0)
              .isTrue();
      case DOWN -> assertThat(abs(rounded).compareTo(abs(x))).isLessThanOrEqualTo(0);
      default ->
          assertThat(abs(error).compareTo(Rational.of(1).dividedBy(Rational.of(2))))
              .isLessThanOrEqualTo(0);
    }
    assertThat(x.ceiling()).isEqualTo(x.round(RoundingMode.CEILING));
  }

  @Property(tries = 1000)
  void to_string_then_parse_gives_back_the_same_value(@ForAll("rationals") Rational x) {
    Rational back = Rational.parse(x.toString());

    assertThat(back).isEqualTo(x);
    assertThat(back.toString()).isEqualTo(x.toString());
  }

  @Property(tries = 1000)
  void a_decimal_becomes_the_fraction_of_its_unscaled_value_over_its_power_of_ten(
      @ForAll("integers") BigInteger unscaled, @ForAll int rawScale) {
    int scale = Math.floorMod(rawScale, 40) - 10; // -10..29
    BigDecimal decimal = new BigDecimal(unscaled, scale);
    Rational x = Rational.of(decimal);

    // x * 10^scale == unscaled, with scale possibly negative.
    Rational tenToScale =
        scale >= 0
            ? Rational.of(BigInteger.TEN.pow(scale), BigInteger.ONE)
            : Rational.of(BigInteger.ONE, BigInteger.TEN.pow(-scale));
    assertThat(x.times(tenToScale)).isEqualTo(Rational.of(unscaled, BigInteger.ONE));
    assertThat(x.signum()).isEqualTo(decimal.signum());
    Assume.that(decimal.signum() != 0);
    assertThat(Rational.of(decimal.stripTrailingZeros())).isEqualTo(x);
  }

  // ------------------------------------------------------------------ oracle

  static Rational abs(Rational x) {
    return x.signum() < 0 ? x.negate() : x;
  }

  /**
   * Rounds n/d with {@code mode} from the floor and the remainder alone: q = floor(n/d), r = n - qd
   * with 0 <= r < |d| (d made positive first); the fraction part is r/d, compared to 1/2 as 2r to
   * d.
   */
  static BigInteger oracle(BigInteger n, BigInteger d, RoundingMode mode) {
    if (d.signum() < 0) {
      n = n.negate();
      d = d.negate();
    }
    BigInteger[] qr = n.divideAndRemainder(d);
    BigInteger q = qr[0];
    BigInteger r = qr[1];
    if (r.signum() < 0) { // Java truncates toward zero; move to the floor
      q = q.subtract(BigInteger.ONE);
      r = r.add(d);
    }
    if (r.signum() == 0) {
      return q;
    }
    BigInteger floor = q;
    BigInteger ceil = q.add(BigInteger.ONE);
    boolean negative = n.signum() < 0;
    int half = r.shiftLeft(1).compareTo(d); // <0 below half, 0 at half, >0 above
    return switch (mode) {
      case FLOOR -> floor;
      case CEILING -> ceil;
      case DOWN -> negative ? ceil : floor;
      case UP -> negative ? floor : ceil;
      case HALF_UP -> half < 0 ? floor : half > 0 ? ceil : (negative ? floor : ceil);
      case HALF_DOWN -> half < 0 ? floor : half > 0 ? ceil : (negative ? ceil : floor);
      case HALF_EVEN -> half < 0 ? floor : half > 0 ? ceil : (floor.testBit(0) ? ceil : floor);
      case UNNECESSARY -> throw new ArithmeticException("not whole");
    };
  }
}
