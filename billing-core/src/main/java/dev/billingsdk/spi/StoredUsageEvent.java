package dev.billingsdk.spi;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.metering.UsageEvent;
import java.time.Instant;

/**
 * A usage event as a store keeps it.
 *
 * @param fingerprint a digest of the event's payload: an id sent again with an equal fingerprint is
 *     a duplicate, with a different one a conflict
 * @param sequence the ingest sequence of the event within its (tenant, account, meter): 1, 2, 3...
 *     in the order the store committed them, drawn from the rating cursor's {@code
 *     ingestedSequence} under the same lock, so that a committed sequence never has a gap below it
 *     that a later commit could fill
 * @param receivedAt when the library accepted it
 */
public record StoredUsageEvent(
    UsageEvent event, String fingerprint, long sequence, Instant receivedAt) {

  public StoredUsageEvent {
    InvalidRequestException.requireNonNull(event, "event");
    InvalidRequestException.requireText(fingerprint, "fingerprint");
    InvalidRequestException.requireNonNull(receivedAt, "receivedAt");
    if (sequence < 0) {
      throw new InvalidRequestException("sequence", sequence, "must not be negative");
    }
  }

  /** The event before a store has given it a sequence (0). */
  public static StoredUsageEvent unsequenced(
      UsageEvent event, String fingerprint, Instant receivedAt) {
    return new StoredUsageEvent(event, fingerprint, 0, receivedAt);
  }

  public StoredUsageEvent withSequence(long sequence) {
    return new StoredUsageEvent(event, fingerprint, sequence, receivedAt);
  }
}
