package dev.billingsdk.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The only time source of the lifecycle stories: it stands still until the story moves it. Safe to
 * read from many threads (the race stories move it while others read it).
 */
final class StoryClock extends Clock {
  private volatile Instant now;

  StoryClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock forward. */
  void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward in these stories: " + duration);
    }
    now = now.plus(duration);
  }

  /** Moves the clock to {@code instant}, which must not be in its past. */
  void set(Instant instant) {
    if (instant.isBefore(now)) {
      throw new IllegalArgumentException("time only moves forward: " + instant + " < " + now);
    }
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the billing clock is UTC");
  }
}
