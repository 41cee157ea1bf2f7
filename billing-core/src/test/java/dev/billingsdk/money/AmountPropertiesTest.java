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
import net.jqwik.api.constraints.LongRange;

/** Properties of exact amounts and conversions (rules 6 and 8: nothing wraps, nothing leaks). */
class AmountPropertiesTest {
  static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  @Provide
  Arbitrary<Unit> units() {
    return Arbitraries.of(
        CurrencyUnit.of("USD"),
        CurrencyUnit.of("JPY"),
        CurrencyUnit.of("KWD"),
        CreditUnit.of("CREDIT", 0),
        CreditUnit.of("CREDIT", 4),
        CreditUnit.of("CREDIT", 12));
  }

  static boolean fitsInLong(BigInteger value) {
    return value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0;
  }

  @Property(tries = 1000)
  void plus_then_minus_gives_back_the_original_when_nothing_overflows(
      @ForAll("units") Unit unit, @ForAll long a, @ForAll long b) {
    Assume.that(fitsInLong(BigInteger.valueOf(a).add(BigInteger.valueOf(b))));
    Amount x = Amount.ofMinor(unit, a);
    Amount y = Amount.ofMinor(unit, b);

    assertThat(x.plus(y).minus(y)).isEqualTo(x);
    assertThat(x.plus(y)).isEqualTo(y.plus(x));
  }

  @Property(tries = 1000)
  void plus_overflows_exactly_when_the_exact_sum_leaves_the_long_range(
      @ForAll("units") Unit unit, @ForAll long a, @ForAll long b) {
    BigInteger exact = BigInteger.valueOf(a).add(BigInteger.valueOf(b));
    Amount x = Amount.ofMinor(unit, a);
    Amount y = Amount.ofMinor(unit, b);

    if (fitsInLong(exact)) {
      assertThat(BigInteger.valueOf(x.plus(y).minor())).isEqualTo(exact);
    } else {
      assertThat(catchThrowableOfType(AmountOverflowException.class, () -> x.plus(y))).isNotNull();
    }
  }

  @Property(tries = 1000)
  void minus_overflows_exactly_when_the_exact_difference_leaves_the_long_range(
      @ForAll("units") Unit unit, @ForAll long a, @ForAll long b) {
    BigInteger exact = BigInteger.valueOf(a).subtract(BigInteger.valueOf(b));
    Amount x = Amount.ofMinor(unit, a);
    Amount y = Amount.ofMinor(unit, b);

    if (fitsInLong(exact)) {
      assertThat(BigInteger.valueOf(x.minus(y).minor())).isEqualTo(exact);
    } else {
      assertThat(catchThrowableOfType(AmountOverflowException.class, () -> x.minus(y))).isNotNull();
    }
  }

  @Property(tries = 1000)
  void parsing_the_decimal_form_gives_back_the_same_amount(
      @ForAll("units") Unit unit, @ForAll long minor) {
    Amount amount = Amount.ofMinor(unit, minor);

    assertThat(Amount.of(unit, amount.toDecimal().toPlainString())).isEqualTo(amount);
    assertThat(Amount.of(unit, amount.toDecimal().setScale(unit.scale() + 3))).isEqualTo(amount);
  }

  record Case(Price price, Amount amount) {}

  @Provide
  Arbitrary<Case> conversions() {
    Arbitrary<Unit> money =
        Arbitraries.of(CurrencyUnit.of("USD"), CurrencyUnit.of("JPY"), CurrencyUnit.of("KWD"));
    Arbitrary<Unit> credit =
        Arbitraries.of(
            CreditUnit.of("CREDIT", 0), CreditUnit.of("CREDIT", 2), CreditUnit.of("CREDIT", 6));
    Arbitrary<Long> cost = Arbitraries.longs().between(1, 1_000_000_000L);
    Arbitrary<Long> per = Arbitraries.longs().between(1, 1_000_000_000L);
    Arbitrary<Long> quantity = Arbitraries.longs().between(-1_000_000_000L, 1_000_000_000L);
    Arbitrary<Boolean> fromCredits = Arbitraries.of(true, false);
    return Combinators.combine(money, credit, cost, per, quantity, fromCredits)
        .as(
            (m, c, costMinor, perMinor, q, creditsToMoney) -> {
              Price price = Price.of(Amount.ofMinor(m, costMinor), Amount.ofMinor(c, perMinor));
              return new Case(price, Amount.ofMinor(creditsToMoney ? c : m, q));
            });
  }

  /**
   * The exact converted value in whole units, as a fraction {@code numerator / denominator} (both
   * in whole units, computed with BigDecimal and no rounding).
   */
  static BigDecimal[] exactFraction(Price price, Amount amount) {
    boolean fromPer = amount.unit().equals(price.per().unit());
    Amount from = fromPer ? price.per() : price.cost();
    Amount to = fromPer ? price.cost() : price.per();
    return new BigDecimal[] {amount.toDecimal().multiply(to.toDecimal()), from.toDecimal()};
  }

  @Property(tries = 1000)
  void converting_with_DOWN_never_exceeds_the_exact_value_and_is_within_one_minor_unit(
      @ForAll("conversions") Case c) {
    Amount result = c.price().convert(c.amount(), RoundingMode.DOWN);
    BigDecimal[] exact = exactFraction(c.price(), c.amount());
    BigDecimal numerator = exact[0];
    BigDecimal denominator = exact[1];
    BigDecimal oneMinor = BigDecimal.ONE.movePointLeft(result.unit().scale());
    // result <= exact  <=>  result * denominator <= numerator (denominator > 0)
    BigDecimal scaledResult = result.toDecimal().multiply(denominator);

    if (c.amount().minor() >= 0) {
      assertThat(scaledResult).isLessThanOrEqualTo(numerator);
      assertThat(result.toDecimal().add(oneMinor).multiply(denominator)).isGreaterThan(numerator);
    } else {
      // DOWN rounds toward zero: for negative values the result is at or above the exact value.
      assertThat(scaledResult).isGreaterThanOrEqualTo(numerator);
      assertThat(result.toDecimal().subtract(oneMinor).multiply(denominator)).isLessThan(numerator);
    }
    assertThat(result.toDecimal().abs().multiply(denominator)).isLessThanOrEqualTo(numerator.abs());
  }

  @Property(tries = 1000)
  void UNNECESSARY_succeeds_exactly_when_the_exact_value_is_a_whole_number_of_minor_units(
      @ForAll("conversions") Case c) {
    BigDecimal[] exact = exactFraction(c.price(), c.amount());
    Unit target =
        c.amount().unit().equals(c.price().per().unit())
            ? c.price().cost().unit()
            : c.price().per().unit();
    BigDecimal inMinor = exact[0].movePointRight(target.scale());
    boolean whole = inMinor.remainder(exact[1]).signum() == 0;

    if (whole) {
      Amount result = c.price().convert(c.amount(), RoundingMode.UNNECESSARY);
      assertThat(result.toDecimal().multiply(exact[1])).isEqualByComparingTo(exact[0]);
      assertThat(result).isEqualTo(c.price().convert(c.amount(), RoundingMode.DOWN));
    } else {
      assertThat(
              catchThrowableOfType(
                  RoundingRequiredException.class,
                  () -> c.price().convert(c.amount(), RoundingMode.UNNECESSARY)))
          .isNotNull();
    }
  }

  @Property(tries = 1000)
  void price_order_agrees_with_exact_BigDecimal_cross_multiplication(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long costA,
      @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long perA,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long costB,
      @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long perB) {
    Unit usd = CurrencyUnit.of("USD");
    Unit credit = CreditUnit.of("CREDIT", 2);
    Price a = Price.of(Amount.ofMinor(usd, costA), Amount.ofMinor(credit, perA));
    Price b = Price.of(Amount.ofMinor(usd, costB), Amount.ofMinor(credit, perB));
    BigDecimal left = a.cost().toDecimal().multiply(b.per().toDecimal());
    BigDecimal right = b.cost().toDecimal().multiply(a.per().toDecimal());

    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(left.compareTo(right));
    assertThat(Integer.signum(b.compareTo(a))).isEqualTo(-Integer.signum(a.compareTo(b)));
  }
}
