package dev.billingsdk.money;

import dev.billingsdk.InvalidRequestException;

/**
 * A platform's own credit, with a declared scale: {@code CreditUnit.of("CREDIT", 4)} counts in
 * ten-thousandths of a credit. Two credit units are the same only if code and scale both match.
 */
public record CreditUnit(String code, int scale) implements Unit {

  /** The largest scale; beyond it a {@code long} holds too few whole credits to be useful. */
  public static final int MAX_SCALE = 12;

  public CreditUnit {
    InvalidRequestException.requireText(code, "code");
    if (!code.matches("[A-Za-z][A-Za-z0-9_-]{0,31}")) {
      throw new InvalidRequestException(
          "code", code, "must be a letter then up to 31 letters, digits, '_' or '-'");
    }
    if (code.matches("[A-Z]{3}") && isIsoCurrency(code)) {
      throw new InvalidRequestException(
          "code", code, "is an ISO 4217 currency code; use CurrencyUnit for money");
    }
    if (scale < 0 || scale > MAX_SCALE) {
      throw new InvalidRequestException("scale", scale, "must be between 0 and " + MAX_SCALE);
    }
  }

  public static CreditUnit of(String code, int scale) {
    return new CreditUnit(code, scale);
  }

  private static boolean isIsoCurrency(String code) {
    try {
      java.util.Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return code + "(scale " + scale + ")";
  }
}
