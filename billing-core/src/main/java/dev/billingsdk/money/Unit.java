package dev.billingsdk.money;

/**
 * What an amount counts: an ISO 4217 currency or a credit unit with a declared scale. Amounts are
 * integers of the unit's smallest subdivision, {@code 10^-scale} of one whole unit.
 */
public sealed interface Unit permits CurrencyUnit, CreditUnit {

  /** The code, e.g. {@code USD} or {@code CREDIT}. */
  String code();

  /** How many decimal places the smallest subdivision has (USD 2, JPY 0, KWD 3). */
  int scale();
}
