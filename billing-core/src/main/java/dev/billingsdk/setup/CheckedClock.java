package dev.billingsdk.setup;

import dev.billingsdk.InputContract;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The host's clock as every service reads it: each reading is checked against the {@link
 * InputContract} (years 1 to 9999) and kept to the microsecond, so a clock at an extreme is a typed
 * refusal naming {@code clock} before it can date a write, and every store keeps the time exactly.
 */
final class CheckedClock extends Clock {
  private final Clock host;

  private CheckedClock(Clock host) {
    this.host = host;
  }

  static Clock of(Clock host) {
    return host instanceof CheckedClock ? host : new CheckedClock(host);
  }

  @Override
  public ZoneId getZone() {
    return host.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new CheckedClock(host.withZone(zone));
  }

  @Override
  public Instant instant() {
    return InputContract.now(host);
  }

  @Override
  public String toString() {
    return "checked " + host;
  }
}
