package dev.billingsdk;

/**
 * A single pass over decimal text that decides, before {@link java.math.BigDecimal} parses it,
 * whether it is within the {@link InputContract}: at most {@value InputContract#MAX_DECIMAL_TEXT}
 * characters, an optional sign, digits with at most one point, and an optional exponent of at most
 * four digits. It reads each character at most once and stops at the first that breaks the
 * contract; {@link Scan#examined()} says how many it read, so tests can pin the cost of a refusal.
 */
final class DecimalText {
  /** The most digits an exponent may have: enough for every scale the contract allows. */
  static final int MAX_EXPONENT_DIGITS = 4;

  private DecimalText() {}

  /** What the scan found: ok, or the problem; and how many characters it examined. */
  record Scan(boolean ok, String problem, int examined) {}

  static Scan scan(String text) {
    int n = text.length();
    if (n == 0) {
      return new Scan(false, "is not a decimal number (empty)", 0);
    }
    if (n > InputContract.MAX_DECIMAL_TEXT) {
      return new Scan(
          false,
          "must be at most " + InputContract.MAX_DECIMAL_TEXT + " characters (was " + n + ")",
          0);
    }
    int i = 0;
    char c = text.charAt(i);
    if (c == '+' || c == '-') {
      i++;
    }
    int digits = 0;
    boolean point = false;
    while (i < n) {
      c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !point) {
        point = true;
      } else {
        break;
      }
      i++;
    }
    if (digits == 0) {
      return new Scan(false, "is not a decimal number", Math.min(i + 1, n));
    }
    if (i == n) {
      return new Scan(true, "", i);
    }
    c = text.charAt(i);
    if (c != 'e' && c != 'E') {
      return new Scan(false, "is not a decimal number", i + 1);
    }
    i++;
    if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
      i++;
    }
    int exponentDigits = 0;
    while (i < n) {
      c = text.charAt(i);
      if (c < '0' || c > '9') {
        return new Scan(false, "is not a decimal number", i + 1);
      }
      exponentDigits++;
      i++;
      if (exponentDigits > MAX_EXPONENT_DIGITS) {
        return new Scan(
            false,
            "has an exponent of more than "
                + MAX_EXPONENT_DIGITS
                + " digits; the scale must be within +/-"
                + InputContract.MAX_DECIMAL_SCALE,
            i);
      }
    }
    if (exponentDigits == 0) {
      return new Scan(false, "is not a decimal number", i);
    }
    return new Scan(true, "", i);
  }
}
