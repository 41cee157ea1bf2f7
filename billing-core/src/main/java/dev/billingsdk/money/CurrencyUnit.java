package dev.billingsdk.money;

import dev.billingsdk.InvalidRequestException;
import java.util.Currency;

/**
 * An ISO 4217 currency; its minor units come from the standard through {@link Currency}. Provider
 * adapters own their providers' deviations (Stripe's zero-decimal list); the ledger keeps these.
 */
public record CurrencyUnit(Currency currency) implements Unit {

  public CurrencyUnit {
    InvalidRequestException.requireNonNull(currency, "currency");
    if (currency.getDefaultFractionDigits() < 0) {
      throw new UnknownCurrencyException(
          currency.getCurrencyCode(), "has no minor unit (e.g. a metal or test code)");
    }
  }

  /**
   * The currency with this ISO 4217 code.
   *
   * @throws UnknownCurrencyException if the code is not ISO 4217 or has no minor unit
   */
  public static CurrencyUnit of(String code) {
    InvalidRequestException.requireNonNull(code, "currency");
    if (!code.matches("[A-Z]{3}")) {
      throw new UnknownCurrencyException(code, "is not a three-letter upper-case ISO 4217 code");
    }
    Currency currency;
    try {
      currency = Currency.getInstance(code);
    } catch (IllegalArgumentException e) {
      throw new UnknownCurrencyException(code, "is not an ISO 4217 code");
    }
    return new CurrencyUnit(currency);
  }

  @Override
  public String code() {
    return currency.getCurrencyCode();
  }

  @Override
  public int scale() {
    return currency.getDefaultFractionDigits();
  }

  @Override
  public String toString() {
    return code();
  }
}
