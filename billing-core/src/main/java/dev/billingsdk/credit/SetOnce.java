package dev.billingsdk.credit;

import dev.billingsdk.BuilderRules;
import dev.billingsdk.InvalidRequestException;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a request builder has been given. Every setter goes through {@link #set}, which refuses a
 * second call for the same field with a message naming the value already there, so a builder that
 * is filled in twice by mistake fails where the mistake is made instead of keeping the last value.
 */
final class SetOnce {
  private final Map<String, Object> values = new HashMap<>();

  /** Records {@code value} for {@code field}; throws if the field was set before. */
  <T> T set(String field, T value) {
    Object old = values.putIfAbsent(field, value);
    if (old != null) {
      throw new InvalidRequestException(field, value, "was already set to " + old);
    }
    return value;
  }

  /**
   * Throws when a field that {@code build()} needs was never set ({@link BuilderRules#required}).
   */
  static <T> T required(@Nullable T value, String field) {
    return BuilderRules.required(value, field);
  }
}
