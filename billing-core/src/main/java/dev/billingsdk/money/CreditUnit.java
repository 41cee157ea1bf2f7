package dev.billingsdk.money;

import dev.billingsdk.InvalidRequestException;

/**
 * A platform's own credit, with a declared scale: {@code CreditUnit.of("CREDIT", 4)} counts in
 * ten-thousandths of a credit. Two credit units are the same only if code and scale both match. A
 * code on the library's ISO 4217 list (a currency, a fund or a code without minor unit, such as
 * XAU) is refused, so a credit can never be mistaken for money.
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
    if (Iso4217.entry(code) != null) {
      throw new InvalidRequestException(
          "code",
          code,
          "is an ISO 4217 code (currency, fund or metal); use CurrencyUnit for money");
    }
    if (scale < 0 || scale > MAX_SCALE) {
      throw new InvalidRequestException("scale", scale, "must be between 0 and " + MAX_SCALE);
    }
  }

  public static CreditUnit of(String code, int scale) {
    return new CreditUnit(code, scale);
  }

  @Override
  public String toString() {
    return code + "(scale " + scale + ")";
  }
}
