package dev.billingsdk;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request or value was rejected before anything was written: it names the field and the value
 * that were refused, and why.
 */
public class InvalidRequestException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;

  public InvalidRequestException(String field, @Nullable Object value, String problem) {
    this(field, InputContract.shown(value), problem, true);
  }

  private InvalidRequestException(String field, String shown, String problem, boolean unused) {
    super(field + " " + problem + " (was: " + shown + ")");
    this.field = Objects.requireNonNull(field, "field");
    this.value = shown;
  }

  /** The name of the refused field, as it appears in the request type. */
  public String field() {
    return field;
  }

  /**
   * The refused value as text ({@code "null"} when it was missing), shortened to 64 characters and
   * with unpaired surrogates and control characters escaped ({@link InputContract#shown}).
   */
  public String value() {
    return value;
  }

  /** Throws when {@code value} is null; the library's way to say "this field is required". */
  public static <T> T requireNonNull(@Nullable T value, String field) {
    if (value == null) {
      throw new InvalidRequestException(field, null, "is required");
    }
    return value;
  }

  /**
   * Throws when {@code value} is null or blank, or is not text the {@link InputContract} accepts
   * (well-formed, no NUL, at most {@value InputContract#MAX_REASON} characters).
   */
  public static String requireText(String value, String field) {
    return InputContract.nonBlankText(value, field, InputContract.MAX_REASON);
  }

  /**
   * Throws when {@code value} holds the NUL character (U+0000), which PostgreSQL cannot store in
   * text or JSON, or an unpaired surrogate, which the JDBC drivers replace: refusing them here
   * keeps every store able to keep what the library accepts. Null passes.
   */
  public static @Nullable String requireNoNul(@Nullable String value, String field) {
    return value == null ? null : InputContract.text(value, field, Integer.MAX_VALUE);
  }
}
