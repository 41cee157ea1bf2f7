package dev.billingsdk.metering;

import dev.billingsdk.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * The two rules this package's builders ({@link UsageEvent.Builder}, {@link Meter.Builder}) follow,
 * as the request builders of {@code dev.billingsdk.credit} do: a setter refuses a second call,
 * naming the value already set, and {@code build()} names a required field that was never set.
 *
 * <p>The credit builders record what was set in a map ({@code credit.SetOnce}), because their
 * fields start at defaults. Every field here is null until its setter runs, so the field itself
 * says whether it was set, and a builder needs no map: that matters for {@link UsageEvent}, built
 * once per ingested event and once per row a store reads back. A package-private class cannot be
 * shared between two packages, and a public one would be API a host could call; the messages of
 * both are pinned by {@code RequestBuildersTest}.
 */
final class BuilderRules {
  private BuilderRules() {}

  /**
   * Returns {@code value} if {@code old} (what the builder holds for {@code field}) is null, or
   * refuses the second call naming the value already there.
   */
  static <T> T once(String field, @Nullable Object old, T value) {
    if (old != null) {
      throw new InvalidRequestException(field, value, "was already set to " + old);
    }
    return value;
  }

  /** Returns {@code value}, or refuses {@code build()} naming the setter that was never called. */
  static <T> T required(@Nullable T value, String field) {
    if (value == null) {
      throw new InvalidRequestException(field, null, "is required: call " + field + "(..)");
    }
    return value;
  }
}
