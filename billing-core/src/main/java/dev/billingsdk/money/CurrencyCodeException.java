package dev.billingsdk.money;

import dev.billingsdk.InvalidRequestException;

/**
 * A code refused as a currency, for one of the reasons its subclasses name: not on the ISO 4217
 * list ({@link UnknownCurrencyException}), a fund code ({@link FundCodeException}), or a code
 * without a minor unit ({@link NoMinorUnitException}). Like every {@link InvalidRequestException}
 * it names the field and the refused value; {@link #code()} is the code exactly as given.
 */
public abstract class CurrencyCodeException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final String code;

  protected CurrencyCodeException(String field, String code, String problem) {
    super(field, code, problem);
    this.code = code;
  }

  /** The refused code, as given. */
  public String code() {
    return code;
  }
}
