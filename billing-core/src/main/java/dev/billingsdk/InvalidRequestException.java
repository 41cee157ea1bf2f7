package dev.billingsdk;

import java.util.Objects;

/**
 * A request or value was rejected before anything was written: it names the field and the value
 * that were refused, and why.
 */
public class InvalidRequestException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;

  public InvalidRequestException(String field, Object value, String problem) {
    super(field + " " + problem + " (was: " + value + ")");
    this.field = Objects.requireNonNull(field, "field");
    this.value = String.valueOf(value);
  }

  /** The name of the refused field, as it appears in the request type. */
  public String field() {
    return field;
  }

  /** The refused value as text ({@code "null"} when it was missing). */
  public String value() {
    return value;
  }

  /** Throws when {@code value} is null; the library's way to say "this field is required". */
  public static <T> T requireNonNull(T value, String field) {
    if (value == null) {
      throw new InvalidRequestException(field, null, "is required");
    }
    return value;
  }

  /** Throws when {@code value} is null or blank, or holds a NUL character. */
  public static String requireText(String value, String field) {
    requireNonNull(value, field);
    if (value.isBlank()) {
      throw new InvalidRequestException(field, "\"" + value + "\"", "must not be blank");
    }
    return requireNoNul(value, field);
  }

  /**
   * Throws when {@code value} holds the NUL character (U+0000), which PostgreSQL cannot store in
   * text or JSON: refusing it here keeps every store able to keep what the library accepts.
   */
  public static String requireNoNul(String value, String field) {
    if (value != null && value.indexOf('\0') >= 0) {
      throw new InvalidRequestException(
          field, value, "must not contain the NUL character (U+0000)");
    }
    return value;
  }
}
