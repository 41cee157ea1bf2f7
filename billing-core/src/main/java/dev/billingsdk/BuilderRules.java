package dev.billingsdk;

import org.jspecify.annotations.Nullable;

/**
 * The two rules every builder of the library follows: a setter refuses a second call, naming the
 * value already set, and {@code build()} names a required field that was never set. One class, so
 * that every builder says it in the same words ({@code RequestBuildersTest} pins them).
 *
 * <p>Public because the builders live in several packages; it checks and throws, nothing more, and
 * a host's own builders may use it too.
 */
public final class BuilderRules {
  private BuilderRules() {}

  /**
   * Returns {@code value} if {@code old} (what the builder holds for {@code field}) is null, or
   * refuses the second call naming the value already there. A null {@code value} is refused as
   * required.
   */
  public static <T> T once(String field, @Nullable Object old, T value) {
    InvalidRequestException.requireNonNull(value, field);
    if (old != null) {
      throw new InvalidRequestException(field, value, "was already set to " + old);
    }
    return value;
  }

  /** Returns {@code value}, or refuses {@code build()} naming the setter that was never called. */
  public static <T> T required(@Nullable T value, String field) {
    if (value == null) {
      throw new InvalidRequestException(field, null, "is required: call " + field + "(..)");
    }
    return value;
  }
}
