package dev.billingsdk.money;

/**
 * A currency code that is not on the library's ISO 4217 list (the current currency and funds codes,
 * {@code iso4217.csv}), or is not three upper-case letters. Withdrawn codes (HRK, SLL, ZWL) are
 * unknown too: the list holds the active codes only.
 */
public class UnknownCurrencyException extends CurrencyCodeException {
  private static final long serialVersionUID = 1L;

  /** A refusal of the field {@code currency}. */
  public UnknownCurrencyException(String code, String problem) {
    this("currency", code, problem);
  }

  public UnknownCurrencyException(String field, String code, String problem) {
    super(field, code, problem);
  }
}
