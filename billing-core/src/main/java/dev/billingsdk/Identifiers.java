package dev.billingsdk;

/** The one rule for identifiers, so that every store can keep them as short text columns. */
public final class Identifiers {
  /** The longest identifier; stores size their key columns for it. */
  public static final int MAX_LENGTH = 128;

  private Identifiers() {}

  /** Returns {@code value} if it is a usable identifier, or throws naming {@code field}. */
  public static String check(String value, String field) {
    InvalidRequestException.requireText(value, field);
    if (value.length() > MAX_LENGTH) {
      throw new InvalidRequestException(
          field, value.substring(0, 16) + "...", "must be at most " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new InvalidRequestException(field, value, "must not contain control characters");
      }
    }
    if (!value.strip().equals(value)) {
      throw new InvalidRequestException(field, value, "must not start or end with white space");
    }
    return value;
  }
}
