package dev.billingsdk.money;

import dev.billingsdk.BillingException;

/**
 * A currency code that ISO 4217 (as the JDK knows it) does not define, or that has no minor unit.
 */
public class UnknownCurrencyException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public UnknownCurrencyException(String code, String problem) {
    super("currency " + code + ": " + problem);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
