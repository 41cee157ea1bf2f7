package dev.billingsdk;

/**
 * The one rule for identifiers, so that every store can keep them as short text columns; the rule
 * itself is {@link InputContract#identifier}.
 */
public final class Identifiers {
  /** The longest identifier; stores size their key columns for it. */
  public static final int MAX_LENGTH = InputContract.MAX_IDENTIFIER;

  private Identifiers() {}

  /** Returns {@code value} if it is a usable identifier, or throws naming {@code field}. */
  public static String check(String value, String field) {
    return InputContract.identifier(value, field);
  }
}
