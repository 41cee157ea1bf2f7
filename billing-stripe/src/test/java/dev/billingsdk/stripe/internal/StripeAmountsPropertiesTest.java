package dev.billingsdk.stripe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.AmountNotRepresentableException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the conversion, against an oracle in exact decimals: to Stripe and back is the
 * identity whenever it succeeds, it succeeds exactly when Stripe's integer carries the same value,
 * and a refused amount is refused as it was, never changed into a nearby one.
 */
class StripeAmountsPropertiesTest {

  static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** Stripe's special cases, weighted up, among every currency of the library's ISO 4217 table. */
  @Provide
  Arbitrary<CurrencyUnit> currencies() {
    List<CurrencyUnit> all = CurrencyUnit.available();
    List<CurrencyUnit> special =
        List.of(
                "MGA", "ISK", "UGX", "HUF", "TWD", "JPY", "KWD", "BHD", "JOD", "OMR", "TND", "IQD",
                "UYW", "USD")
            .stream()
            .map(CurrencyUnit::of)
            .toList();
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.of(special)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(all)));
  }

  /** Counts of every size, and many that are multiples of 10, 100 or 1000, which convert. */
  @Provide
  Arbitrary<Long> counts() {
    Arbitrary<Long> small = Arbitraries.longs().between(-1_000_000, 1_000_000);
    return Arbitraries.oneOf(
        Arbitraries.longs(),
        small,
        small.map(x -> x * 10),
        small.map(x -> x * 100),
        small.map(x -> x * 1000),
        Arbitraries.of(
            Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE / 100, Long.MIN_VALUE / 100, 0L));
  }

  static boolean fitsInLong(BigInteger value) {
    return value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0;
  }

  /** The count Stripe's unit gives this value, when it is a whole number that fits a long. */
  static BigInteger inStripeUnit(Amount amount, CurrencyUnit currency) {
    return amount.toDecimal().movePointRight(StripeAmounts.stripeScale(currency)).toBigInteger();
  }

  static boolean wholeInStripeUnit(Amount amount, CurrencyUnit currency) {
    BigDecimal scaled = amount.toDecimal().movePointRight(StripeAmounts.stripeScale(currency));
    return scaled.signum() == 0 || scaled.stripTrailingZeros().scale() <= 0;
  }

  @Property(tries = 2000)
  void to_stripe_succeeds_exactly_when_stripe_s_integer_carries_the_same_value(
      @ForAll("currencies") CurrencyUnit currency, @ForAll("counts") long minor) {
    Amount amount = Amount.ofMinor(currency, minor);
    boolean representable =
        wholeInStripeUnit(amount, currency)
            && fitsInLong(inStripeUnit(amount, currency))
            && inStripeUnit(amount, currency)
                    .mod(BigInteger.valueOf(StripeAmounts.stripeStep(currency)))
                    .signum()
                == 0;

    if (representable) {
      long stripe = StripeAmounts.toStripe(amount);
      // Nothing rounded: Stripe's integer at Stripe's scale is the amount's exact value.
      assertThat(BigDecimal.valueOf(stripe, StripeAmounts.stripeScale(currency)))
          .isEqualByComparingTo(amount.toDecimal());
      // And back, the identity.
      assertThat(StripeAmounts.fromStripe(currency, stripe)).isEqualTo(amount);
    } else {
      AmountNotRepresentableException e =
          catchThrowableOfType(
              AmountNotRepresentableException.class, () -> StripeAmounts.toStripe(amount));
      assertThat(e).as("refused, not rounded: " + amount).isNotNull();
      // Refused as it was: the exception names the very amount, unchanged.
      assertThat(e.amount()).isEqualTo(amount);
      assertThat(e.provider()).isEqualTo("stripe");
    }
  }

  @Property(tries = 2000)
  void from_stripe_succeeds_exactly_when_our_unit_holds_the_value(
      @ForAll("currencies") CurrencyUnit currency, @ForAll("counts") long stripe) {
    BigDecimal value = BigDecimal.valueOf(stripe, StripeAmounts.stripeScale(currency));
    BigDecimal inOurUnit = value.movePointRight(currency.scale());
    boolean representable =
        (inOurUnit.signum() == 0 || inOurUnit.stripTrailingZeros().scale() <= 0)
            && fitsInLong(inOurUnit.toBigInteger());

    if (representable) {
      Amount amount = StripeAmounts.fromStripe(currency, stripe);
      assertThat(amount.unit()).isEqualTo(currency);
      assertThat(amount.toDecimal()).isEqualByComparingTo(value);
      // And back, the identity, wherever Stripe would take the integer it gave.
      if (stripe % StripeAmounts.stripeStep(currency) == 0) {
        assertThat(StripeAmounts.toStripe(amount)).isEqualTo(stripe);
      }
    } else {
      AmountNotRepresentableException e =
          catchThrowableOfType(
              AmountNotRepresentableException.class,
              () -> StripeAmounts.fromStripe(currency, stripe));
      assertThat(e).as("refused, not rounded: " + currency + " " + stripe).isNotNull();
      assertThat(e.provider()).isEqualTo("stripe");
      assertThat(e.getMessage()).contains("Stripe reported " + stripe);
    }
  }
}
