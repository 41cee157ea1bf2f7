package dev.billingsdk.metering;

import dev.billingsdk.InvalidRequestException;
import java.time.Instant;

/**
 * A usage event's time is further in the future than the allowed clock skew, or older than the
 * late-arrival window. Its field is {@code occurredAt}. Nothing was stored.
 */
public class UsageTimeOutOfRangeException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final transient Instant earliest;
  private final transient Instant latest;

  public UsageTimeOutOfRangeException(
      String eventId, Instant occurredAt, Instant earliest, Instant latest) {
    super(
        "occurredAt",
        occurredAt,
        "of usage event "
            + eventId
            + " must be within ["
            + earliest
            + ", "
            + latest
            + "]: the late-arrival window and the allowed clock skew");
    this.earliest = earliest;
    this.latest = latest;
  }

  /** The oldest time accepted when the event was refused. */
  public Instant earliest() {
    return earliest;
  }

  /** The newest time accepted when the event was refused. */
  public Instant latest() {
    return latest;
  }
}
