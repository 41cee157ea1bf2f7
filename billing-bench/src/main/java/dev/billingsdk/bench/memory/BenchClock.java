package dev.billingsdk.bench.memory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the benchmark sets: the fixtures grant at one instant and measure at a later one, so that
 * some grants have expired and some are not yet effective, with no wall-clock reads in the figures.
 */
final class BenchClock extends Clock {
  private volatile Instant now;

  BenchClock(Instant now) {
    this.now = now;
  }

  void set(Instant instant) {
    this.now = instant;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the benchmark clock is UTC only");
  }

  @Override
  public Instant instant() {
    return now;
  }
}
