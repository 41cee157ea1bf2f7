package dev.billingsdk.stripe.internal;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.AmountNotRepresentableException;
import java.util.Set;

/**
 * Amounts at Stripe's boundary: our {@link Amount} (a count of the currency's ISO 4217 minor units,
 * as {@link CurrencyUnit#scale()} says) to the integer Stripe takes in {@code amount} and {@code
 * unit_amount}, and Stripe's integers back. Both ways are exact or refused with {@link
 * AmountNotRepresentableException}; nothing is ever rounded, and a refused amount is never sent in
 * another form.
 *
 * <p>Stripe counts most currencies in hundredths, whatever ISO 4217 says, and a few in whole units
 * or thousandths (the table below). Where the two disagree the count is scaled by a power of ten:
 * up exactly, or down only when nothing is lost. MGA, for example, has two decimals in ISO 4217
 * (and in the JDK) but none at Stripe, so MGA 12.00 is sent as {@code 12} and MGA 12.50 is refused;
 * ISK has none in ISO 4217 but two at Stripe, so ISK 5 is sent as {@code 500}, and Stripe's {@code
 * 550} (ISK 5.50) is refused on the way back.
 *
 * <p>Stripe's own rules about which counts it accepts ({@link #stripeStep}) are checked on the way
 * out as well: a three-decimal amount must end in 0, and ISK and UGX counts must be whole units
 * (multiples of 100). They are not checked on the way back, where any integer Stripe reports is
 * taken if it converts exactly.
 */
public final class StripeAmounts {

  /*
   * Stripe's representation of each currency, read on 2026-12-03 from stored copies of Stripe's
   * pages (this machine has no live web):
   *
   * [1] "Supported currencies", https://docs.stripe.com/currencies (its Markdown export
   *     https://docs.stripe.com/currencies.md): sections "Specify amounts in API requests",
   *     "Zero-decimal currencies" and "Special cases". The export omits the zero-decimal list
   *     itself, which the page renders as links.
   * [2] The same page as archived on 2022-06-18,
   *     https://web.archive.org/web/20220618095455/https://stripe.com/en-mt/docs/currencies: the
   *     zero-decimal list, and the section "Three-decimal currencies", which [1] no longer has
   *     (BHD, JOD, KWD, OMR and TND remain presentment currencies for accounts in the countries
   *     that use them). The list of three-decimal currencies is as quoted from the snapshot of
   *     2022-12-31, https://web.archive.org/web/20221231002856/https://stripe.com/docs/currencies.
   * [3] "Deprecation of fractional ISK charges and refunds",
   *     https://support.stripe.com/questions/deprecation-of-fractional-isk-charges-and-refunds.
   *
   * - Default [1]: "Currencies are two-decimal currencies unless otherwise specified."
   * - Zero-decimal [1][2]: "For the following zero-decimal currencies, the charge and the amount
   *   are the same, without requiring multiplication": BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX
   *   VND VUV XAF XOF XPF. UGX is in that list and also under Special cases, which contradicts it
   *   and which this table follows (below).
   * - ISK [1]: "ISK transitioned to a zero-decimal currency, but backward compatibility requires
   *   you to represent it as a two-decimal value, where the decimal amount is always 00. For
   *   example, to charge 5 ISK, provide an amount value of 500. You can't charge fractions of ISK."
   *   [3]: since 2023-04-14 "the Stripe API will enforce that all amounts in ISK are stated in
   *   multiples of 100", and "ISK will remain a two-decimal currency in the Stripe API".
   * - UGX [1]: the same words as for ISK ("to charge 5 UGX, provide an amount value of 500. You
   *   can't charge fractions of UGX"), so two decimals, in multiples of 100. The rest of its entry
   *   is about invoices that Stripe itself prorates, which this SDK does not create.
   * - HUF and TWD [1]: "Stripe treats HUF [TWD] as a zero-decimal currency for payouts, even though
   *   you can charge two-decimal amounts. When you create a manual payout in HUF [TWD], you must
   *   provide integer amounts that are evenly divisible by 100." Charges, all this SDK makes, are
   *   plain two-decimal; the rule binds manual payouts only, which this SDK does not create.
   * - Three-decimal [2]: "The API supports three-decimal currencies for the standard payment flows,
   *   including Payment Intents, Refunds, and Disputes. However, to ensure compatibility with
   *   Stripe's payments partners, these API calls require the least-significant (last) digit to be
   *   0. Your integration must round amounts to the nearest ten." BHD JOD KWD OMR TND. We do not
   *   round: an amount whose last digit is not 0 is refused.
   *
   * A currency Stripe does not list takes the default of two decimals (IQD and LYD, three decimals
   * in ISO 4217, are then refused unless they end in 0). Whether Stripe takes a currency at all
   * depends on the account's country; Stripe's API answers that, not this table.
   */

  /** Stripe counts these in whole units. UGX is not here: see the table's source notes. */
  static final Set<String> ZERO_DECIMAL =
      Set.of(
          "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "VND", "VUV", "XAF",
          "XOF", "XPF");

  /** Stripe counts these in thousandths, and takes only counts that end in 0. */
  static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");

  /**
   * Stripe counts these in hundredths (its default) but takes whole units only: counts divisible by
   * 100. ISO 4217 gives both no decimals, so every amount of ours meets the rule; it is checked all
   * the same, so that a change in the JDK's currency data cannot slip a fraction through.
   */
  static final Set<String> WHOLE_UNITS_IN_HUNDREDTHS = Set.of("ISK", "UGX");

  private static final String PROVIDER = StripeSignatureVerifier.PROVIDER;

  private StripeAmounts() {}

  /** How many decimals Stripe counts this currency in: 0, 2 or 3. */
  public static int stripeScale(CurrencyUnit currency) {
    InvalidRequestException.requireNonNull(currency, "currency");
    String code = currency.code();
    if (ZERO_DECIMAL.contains(code)) {
      return 0;
    }
    if (THREE_DECIMAL.contains(code)) {
      return 3;
    }
    return 2;
  }

  /**
   * The step Stripe's integer must be a multiple of for this currency: 10 for the three-decimal
   * currencies, 100 for ISK and UGX, 1 for the others.
   */
  public static long stripeStep(CurrencyUnit currency) {
    InvalidRequestException.requireNonNull(currency, "currency");
    String code = currency.code();
    if (THREE_DECIMAL.contains(code)) {
      return 10;
    }
    if (WHOLE_UNITS_IN_HUNDREDTHS.contains(code)) {
      return 100;
    }
    return 1;
  }

  /**
   * The integer Stripe takes in {@code amount} or {@code unit_amount} for this amount.
   *
   * @throws AmountNotRepresentableException if the amount is not in a currency (credits are not
   *     money Stripe can charge), needs rounding to reach Stripe's unit, breaks Stripe's rule for
   *     the currency (a three-decimal amount not ending in 0), or does not fit a {@code long} in
   *     Stripe's unit
   */
  public static long toStripe(Amount amount) {
    InvalidRequestException.requireNonNull(amount, "amount");
    if (!(amount.unit() instanceof CurrencyUnit currency)) {
      throw new AmountNotRepresentableException(
          PROVIDER, amount, "it is not in a currency; Stripe charges ISO 4217 currencies only");
    }
    int ours = currency.scale();
    int theirs = stripeScale(currency);
    long stripe;
    if (theirs >= ours) {
      try {
        stripe = Math.multiplyExact(amount.minor(), powerOfTen(theirs - ours));
      } catch (ArithmeticException e) {
        throw new AmountNotRepresentableException(
            PROVIDER,
            amount,
            "with Stripe's " + theirs + " decimals it does not fit a 64-bit integer");
      }
    } else if (amount.minor() % powerOfTen(ours - theirs) != 0) {
      throw new AmountNotRepresentableException(
          PROVIDER,
          amount,
          "Stripe counts "
              + currency.code()
              + " with "
              + theirs
              + " decimals, and this amount would need rounding");
    } else {
      stripe = amount.minor() / powerOfTen(ours - theirs);
    }
    long step = stripeStep(currency);
    if (stripe % step != 0) {
      throw new AmountNotRepresentableException(
          PROVIDER,
          amount,
          "Stripe takes "
              + currency.code()
              + " with "
              + theirs
              + " decimals in multiples of "
              + step
              + " only, and this amount would need rounding");
    }
    return stripe;
  }

  /**
   * Our amount for an integer Stripe reported in {@code amount}, {@code unit_amount}, {@code
   * amount_total} and the like, in this currency. Stripe's step ({@link #stripeStep}) is not
   * checked: whatever Stripe reports is taken if it converts exactly.
   *
   * @throws AmountNotRepresentableException if the integer holds a fraction that the currency's ISO
   *     4217 minor unit cannot (Stripe's {@code 550} in ISK is ISK 5.50), or does not fit a {@code
   *     long} once scaled. The exception's {@link AmountNotRepresentableException#amount() amount}
   *     is then the nearest amount toward zero, for the message only: it is not what Stripe
   *     reported, which the message gives
   */
  public static Amount fromStripe(CurrencyUnit currency, long stripeAmount) {
    InvalidRequestException.requireNonNull(currency, "currency");
    int ours = currency.scale();
    int theirs = stripeScale(currency);
    if (theirs >= ours) {
      long factor = powerOfTen(theirs - ours);
      if (stripeAmount % factor != 0) {
        throw new AmountNotRepresentableException(
            PROVIDER,
            Amount.ofMinor(currency, stripeAmount / factor),
            "Stripe reported "
                + stripeAmount
                + " with its "
                + theirs
                + " decimals, a fraction that "
                + currency.code()
                + "'s ISO 4217 minor unit ("
                + ours
                + " decimals) cannot hold");
      }
      return Amount.ofMinor(currency, stripeAmount / factor);
    }
    try {
      return Amount.ofMinor(currency, Math.multiplyExact(stripeAmount, powerOfTen(ours - theirs)));
    } catch (ArithmeticException e) {
      throw new AmountNotRepresentableException(
          PROVIDER,
          Amount.ofMinor(currency, stripeAmount < 0 ? Long.MIN_VALUE : Long.MAX_VALUE),
          "Stripe reported "
              + stripeAmount
              + " with its "
              + theirs
              + " decimals, which with "
              + currency.code()
              + "'s "
              + ours
              + " does not fit a 64-bit integer");
    }
  }

  private static long powerOfTen(int exponent) {
    long result = 1;
    for (int i = 0; i < exponent; i++) {
      result *= 10; // at most 10^4 here: a currency's scale (UYW has 4) minus Stripe's 0
    }
    return result;
  }
}
