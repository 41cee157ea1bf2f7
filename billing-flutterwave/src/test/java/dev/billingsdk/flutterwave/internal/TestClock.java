package dev.billingsdk.flutterwave.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A UTC clock that moves only when the test says so; it never reads the system's time. */
public final class TestClock extends Clock {
  private final AtomicReference<Instant> reading;

  public TestClock(Instant start) {
    this.reading = new AtomicReference<>(start);
  }

  /** Moves the clock forward. */
  public void advance(Duration by) {
    reading.updateAndGet(t -> t.plus(by));
  }

  @Override
  public Instant instant() {
    return reading.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a test clock stays in UTC");
  }
}
