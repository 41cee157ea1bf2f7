package dev.billingsdk.console;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The console's clock: the base clock (the system's, or a fixed instant for tests), except while
 * the demo data is written, when it is pinned to the instants of last month the data happened at.
 */
public final class ConsoleClock extends Clock {
  private final Clock base;
  private final AtomicReference<Instant> pinned = new AtomicReference<>();

  public ConsoleClock(Clock base) {
    this.base = base;
  }

  /** Until {@link #release()}, every reading is {@code at}. */
  public void pin(Instant at) {
    pinned.set(at);
  }

  /** Back to the base clock. */
  public void release() {
    pinned.set(null);
  }

  /** The base clock's reading, pinned or not. */
  public Instant baseInstant() {
    return base.instant();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return zone.equals(ZoneOffset.UTC) ? this : Clock.fixed(instant(), zone);
  }

  @Override
  public Instant instant() {
    Instant p = pinned.get();
    return p != null ? p : base.instant();
  }
}
