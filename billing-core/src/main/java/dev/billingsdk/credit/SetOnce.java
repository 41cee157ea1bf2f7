package dev.billingsdk.credit;

import dev.billingsdk.BuilderRules;
import dev.billingsdk.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * What a request builder has been given. Every setter goes through {@link #set}, which refuses a
 * second call for the same field with a message naming the value already there, so a builder that
 * is filled in twice by mistake fails where the mistake is made instead of keeping the last value.
 */
final class SetOnce {
  // The fields set so far and their values, side by side: a builder sets a handful, so a scan
  // beats a hash map, and a builder that sets none allocates nothing.
  private String[] fields = NONE;
  private @Nullable Object[] values = NO_VALUES;
  private int size;

  private static final String[] NONE = {};
  private static final @Nullable Object[] NO_VALUES = {};

  /** Records {@code value} for {@code field}; throws if the field was set before. */
  <T> T set(String field, T value) {
    for (int i = 0; i < size; i++) {
      if (fields[i].equals(field)) {
        Object old = values[i];
        if (old != null) {
          throw new InvalidRequestException(field, value, "was already set to " + old);
        }
        // As a map's putIfAbsent: a field set to null counts as absent.
        values[i] = value;
        return value;
      }
    }
    if (size == fields.length) {
      int grown = Math.max(4, 2 * size);
      fields = java.util.Arrays.copyOf(fields, grown);
      values = java.util.Arrays.copyOf(values, grown);
    }
    fields[size] = field;
    values[size] = value;
    size++;
    return value;
  }

  /**
   * Throws when a field that {@code build()} needs was never set ({@link BuilderRules#required}).
   */
  static <T> T required(@Nullable T value, String field) {
    return BuilderRules.required(value, field);
  }
}
