package dev.billingsdk.stripe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.AmountNotRepresentableException;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StripeAmountsTest {

  /**
   * Amounts that convert both ways, exactly: our amount, and the integer Stripe takes and gives.
   */
  @ParameterizedTest(name = "{0} {1} <-> {2}")
  @CsvSource({
    // Two-decimal, the default: ISO 4217 and Stripe agree.
    "USD, 10.99, 1099",
    "USD, 0.01, 1",
    "EUR, 0, 0",
    "EUR, -12.34, -1234",
    // Zero-decimal at Stripe and in ISO 4217: the same count.
    "JPY, 500, 500",
    "KRW, 50, 50",
    "CLP, 1, 1",
    "VND, 25000, 25000",
    "XOF, 1000, 1000",
    // MGA: zero-decimal at Stripe, two decimals in ISO 4217 (the library's table).
    "MGA, 12.00, 12",
    "MGA, 0, 0",
    // ISK and UGX: no decimals in ISO 4217; two at Stripe, always 00 ("to charge 5 ISK, provide
    // an amount value of 500").
    "ISK, 5, 500",
    "ISK, 40, 4000",
    "UGX, 5, 500",
    "UGX, 3800, 380000",
    // HUF and TWD: two-decimal for charges; divisible-by-100 binds manual payouts only.
    "HUF, 10.45, 1045",
    "HUF, 175.00, 17500",
    "TWD, 800.45, 80045",
    // Three-decimal at Stripe and in ISO 4217, the last digit 0.
    "KWD, 5.120, 5120",
    "KWD, 5.130, 5130",
    "BHD, 0.010, 10",
    "JOD, 1.000, 1000",
    "OMR, 12.340, 12340",
    "TND, -0.500, -500",
    // ISO 4217 three or four decimals, not listed by Stripe: its default of two.
    "IQD, 1.250, 125",
    "LYD, 2.000, 200",
    "UYW, 1.2300, 123",
  })
  void converts_both_ways(String code, String decimal, long stripe) {
    CurrencyUnit currency = CurrencyUnit.of(code);
    Amount amount = Amount.of(currency, decimal);

    assertThat(StripeAmounts.toStripe(amount)).isEqualTo(stripe);
    assertThat(StripeAmounts.fromStripe(currency, stripe)).isEqualTo(amount);
  }

  /** Amounts Stripe cannot take without rounding; none is changed, each is refused. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "MGA, 12.50, Stripe counts MGA with 0 decimals",
    "MGA, 0.01, Stripe counts MGA with 0 decimals",
    "MGA, -0.20, Stripe counts MGA with 0 decimals",
    // "5.124 KWD must be rounded to 5120 or 5130": we refuse instead.
    "KWD, 5.124, in multiples of 10 only",
    "KWD, 0.001, in multiples of 10 only",
    "BHD, 1.005, in multiples of 10 only",
    "JOD, 0.999, in multiples of 10 only",
    "OMR, -0.001, in multiples of 10 only",
    "TND, 7.777, in multiples of 10 only",
    "IQD, 1.255, Stripe counts IQD with 2 decimals",
    "UYW, 1.2345, Stripe counts UYW with 2 decimals",
  })
  void refuses_what_would_need_rounding(String code, String decimal, String why) {
    Amount amount = Amount.of(CurrencyUnit.of(code), decimal);

    AmountNotRepresentableException e = refused(() -> StripeAmounts.toStripe(amount));

    assertThat(e.amount()).isSameAs(amount);
    assertThat(e.getMessage())
        .startsWith("stripe cannot take " + amount + " exactly: ")
        .contains(why)
        .contains("would need rounding");
  }

  /** Integers Stripe could report that hold a fraction our currency cannot. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    // ISK 5.50 and ISK 5.01, charged before Stripe made ISK whole-units only (2023-04-14).
    "ISK, 550, ISK 5",
    "ISK, 501, ISK 5",
    "ISK, -150, ISK -1",
    "UGX, 550, UGX 5",
    "UGX, 99, UGX 0",
  })
  void refuses_a_stripe_integer_with_a_fraction_our_currency_has_not(
      String code, long stripe, String wholePart) {
    CurrencyUnit currency = CurrencyUnit.of(code);

    AmountNotRepresentableException e = refused(() -> StripeAmounts.fromStripe(currency, stripe));

    assertThat(e.amount().toString()).isEqualTo(wholePart);
    assertThat(e.getMessage())
        .contains("Stripe reported " + stripe + " with its 2 decimals")
        .contains(code + "'s ISO 4217 minor unit (0 decimals) cannot hold");
  }

  @Test
  void a_three_decimal_integer_not_ending_in_0_is_still_read_exactly() {
    // Stripe's rule binds what it is sent; what it reports is taken if it converts exactly.
    CurrencyUnit kwd = CurrencyUnit.of("KWD");

    assertThat(StripeAmounts.fromStripe(kwd, 5124)).isEqualTo(Amount.of(kwd, "5.124"));
  }

  @Test
  void mga_from_stripe_is_scaled_up_to_iso_s_two_decimals() {
    CurrencyUnit mga = CurrencyUnit.of("MGA");

    assertThat(StripeAmounts.fromStripe(mga, 7)).isEqualTo(Amount.ofMinor(mga, 700));
  }

  @Test
  void credits_are_not_money_stripe_can_take() {
    Amount credits = Amount.of(CreditUnit.of("CREDIT", 4), "12.5");

    AmountNotRepresentableException e = refused(() -> StripeAmounts.toStripe(credits));

    assertThat(e.amount()).isSameAs(credits);
    assertThat(e.getMessage()).contains("not in a currency");
  }

  @Test
  void an_amount_that_overflows_in_stripe_s_unit_is_refused() {
    Amount isk = Amount.ofMinor(CurrencyUnit.of("ISK"), Long.MAX_VALUE / 100 + 1);
    Amount largest = Amount.ofMinor(CurrencyUnit.of("ISK"), Long.MAX_VALUE / 100);

    assertThat(refused(() -> StripeAmounts.toStripe(isk)).getMessage())
        .contains("does not fit a 64-bit integer");
    assertThat(StripeAmounts.toStripe(largest)).isEqualTo(Long.MAX_VALUE / 100 * 100);
  }

  @Test
  void a_stripe_integer_that_overflows_our_unit_is_refused() {
    CurrencyUnit mga = CurrencyUnit.of("MGA");

    AmountNotRepresentableException high =
        refused(() -> StripeAmounts.fromStripe(mga, Long.MAX_VALUE / 100 + 1));
    AmountNotRepresentableException low =
        refused(() -> StripeAmounts.fromStripe(mga, Long.MIN_VALUE / 100 - 1));

    assertThat(high.amount()).isEqualTo(Amount.ofMinor(mga, Long.MAX_VALUE));
    assertThat(low.amount()).isEqualTo(Amount.ofMinor(mga, Long.MIN_VALUE));
    assertThat(high.getMessage()).contains("does not fit a 64-bit integer");
    assertThat(StripeAmounts.fromStripe(mga, Long.MAX_VALUE / 100))
        .isEqualTo(Amount.ofMinor(mga, Long.MAX_VALUE / 100 * 100));
  }

  @Test
  void stripe_s_scale_and_step_per_currency() {
    Set<String> zero =
        Set.of(
            "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "VND", "VUV",
            "XAF", "XOF", "XPF");
    for (String code : zero) {
      assertThat(StripeAmounts.stripeScale(CurrencyUnit.of(code))).as(code).isZero();
      assertThat(StripeAmounts.stripeStep(CurrencyUnit.of(code))).as(code).isEqualTo(1);
    }
    for (String code : Set.of("BHD", "JOD", "KWD", "OMR", "TND")) {
      assertThat(StripeAmounts.stripeScale(CurrencyUnit.of(code))).as(code).isEqualTo(3);
      assertThat(StripeAmounts.stripeStep(CurrencyUnit.of(code))).as(code).isEqualTo(10);
    }
    for (String code : Set.of("ISK", "UGX")) {
      assertThat(StripeAmounts.stripeScale(CurrencyUnit.of(code))).as(code).isEqualTo(2);
      assertThat(StripeAmounts.stripeStep(CurrencyUnit.of(code))).as(code).isEqualTo(100);
    }
    for (String code : Set.of("USD", "EUR", "HUF", "TWD", "IDR", "COP", "IQD", "LYD", "UYW")) {
      assertThat(StripeAmounts.stripeScale(CurrencyUnit.of(code))).as(code).isEqualTo(2);
      assertThat(StripeAmounts.stripeStep(CurrencyUnit.of(code))).as(code).isEqualTo(1);
    }
  }

  @Test
  void where_the_jdk_s_iso_4217_exponent_differs_from_stripe_s() {
    // The table's reason to exist: these are the listed currencies whose counts are scaled.
    assertThat(CurrencyUnit.of("MGA").scale()).isEqualTo(2);
    assertThat(CurrencyUnit.of("ISK").scale()).isZero();
    assertThat(CurrencyUnit.of("UGX").scale()).isZero();
    for (String code : StripeAmounts.ZERO_DECIMAL) {
      if (!code.equals("MGA")) {
        assertThat(CurrencyUnit.of(code).scale()).as(code).isZero();
      }
    }
    for (String code : StripeAmounts.THREE_DECIMAL) {
      assertThat(CurrencyUnit.of(code).scale()).as(code).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ugx", "isk"})
  void ugx_and_isk_are_not_in_the_zero_decimal_set(String code) {
    assertThat(StripeAmounts.ZERO_DECIMAL).doesNotContain(code.toUpperCase(java.util.Locale.ROOT));
  }

  @Test
  void nothing_is_null() {
    assertThat(
            catchThrowableOfType(InvalidRequestException.class, () -> StripeAmounts.toStripe(null)))
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                InvalidRequestException.class, () -> StripeAmounts.fromStripe(null, 1)))
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                InvalidRequestException.class, () -> StripeAmounts.stripeScale(null)))
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                InvalidRequestException.class, () -> StripeAmounts.stripeStep(null)))
        .isNotNull();
  }

  static AmountNotRepresentableException refused(ThrowingCallable call) {
    AmountNotRepresentableException e =
        catchThrowableOfType(AmountNotRepresentableException.class, call);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.provider()).isEqualTo("stripe");
    return e;
  }
}
