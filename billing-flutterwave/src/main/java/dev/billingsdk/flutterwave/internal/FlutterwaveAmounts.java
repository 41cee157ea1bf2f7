package dev.billingsdk.flutterwave.internal;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Unit;
import dev.billingsdk.payment.AmountNotRepresentableException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Amounts at Flutterwave's boundary. Flutterwave takes and states amounts as decimal numbers of the
 * currency's major unit ({@code 1500.5} is NGN 1,500.50, {@code 5000} is UGX 5,000), so the
 * conversion is the ISO 4217 scale of {@link CurrencyUnit#scale()} and nothing else: our minor
 * units become {@code minor / 10^scale} exactly, and a number Flutterwave states becomes minor
 * units only when it has no more decimals than the currency and fits a {@code long}. Nothing is
 * rounded; anything else is an {@link AmountNotRepresentableException}.
 */
public final class FlutterwaveAmounts {
  /** The provider name in every exception. */
  public static final String PROVIDER = "flutterwave";

  /** More integer digits than this cannot fit a {@code long} of minor units. */
  private static final int MAX_INTEGER_DIGITS = 19;

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private FlutterwaveAmounts() {}

  /**
   * The number to send in {@code amount}: major units with the currency's ISO 4217 scale.
   *
   * @param amount a positive amount of an ISO 4217 currency
   * @return the amount in major units, e.g. {@code 1500.50} for NGN 1,500.50
   * @throws AmountNotRepresentableException if it is not in a currency (credits are not money
   *     Flutterwave charges) or is not positive
   */
  public static BigDecimal toFlutterwave(Amount amount) {
    InvalidRequestException.requireNonNull(amount, "amount");
    if (!(amount.unit() instanceof CurrencyUnit)) {
      throw new AmountNotRepresentableException(
          PROVIDER,
          amount,
          "it is not in a currency; Flutterwave charges ISO 4217 currencies only");
    }
    if (!amount.isPositive()) {
      throw new AmountNotRepresentableException(
          PROVIDER, amount, "Flutterwave takes positive amounts only");
    }
    return amount.toDecimal();
  }

  /**
   * Our amount for a number Flutterwave stated in this currency.
   *
   * @param value the number as read (exactly) from Flutterwave's JSON
   * @param currencyCode the transaction's {@code currency}
   * @return the exact amount
   * @throws AmountNotRepresentableException if the currency is not an ISO 4217 currency with a
   *     minor unit, the number has more decimals than the currency (NGN 10.005), or its minor units
   *     do not fit a {@code long}. The exception's amount is then only for the message (zero, or
   *     the amount cut toward zero): the message gives what Flutterwave stated
   */
  public static Amount fromFlutterwave(BigDecimal value, String currencyCode) {
    InvalidRequestException.requireNonNull(value, "value");
    InvalidRequestException.requireNonNull(currencyCode, "currency");
    CurrencyUnit currency;
    try {
      currency = CurrencyUnit.of(currencyCode);
    } catch (RuntimeException e) {
      throw new AmountNotRepresentableException(
          PROVIDER,
          Amount.zero(placeholder(currencyCode)),
          "Flutterwave stated an amount in "
              + describe(currencyCode)
              + ", which is not an ISO 4217 currency with a minor unit");
    }
    // Checked before any scaling, so that 1E+999999999 costs nothing to refuse.
    if (value.precision() - value.scale() > MAX_INTEGER_DIGITS) {
      throw new AmountNotRepresentableException(
          PROVIDER,
          Amount.zero(currency),
          "Flutterwave stated " + value + ", out of range for a 64-bit count of minor units");
    }
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() > currency.scale()) {
      throw new AmountNotRepresentableException(
          PROVIDER,
          Amount.zero(currency),
          "Flutterwave stated "
              + value
              + ", with more decimals than "
              + currency.code()
              + "'s "
              + currency.scale());
    }
    BigInteger minor = stripped.movePointRight(currency.scale()).toBigIntegerExact();
    if (minor.compareTo(LONG_MIN) < 0 || minor.compareTo(LONG_MAX) > 0) {
      throw new AmountNotRepresentableException(
          PROVIDER,
          Amount.zero(currency),
          "Flutterwave stated " + value + ", out of range for a 64-bit count of minor units");
    }
    return Amount.ofMinor(currency, minor.longValue());
  }

  /** A unit to name in the exception for a code that is no currency. */
  private static Unit placeholder(String code) {
    try {
      return CreditUnit.of(code, 0);
    } catch (RuntimeException e) {
      return CreditUnit.of("UNKNOWN", 0);
    }
  }

  private static String describe(String code) {
    if (code.length() <= 8 && code.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
      return code;
    }
    return "a currency code that is not three upper-case letters";
  }
}
