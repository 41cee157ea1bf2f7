package dev.billingsdk.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until the test moves it, so a test travels through months of grants,
 * expiries and reservations in milliseconds: hand it to {@code Billing.builder().clock(..)} and
 * move it with {@link #advance} or {@link #set}.
 *
 * <pre>{@code
 * TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
 * Billing billing = Billing.builder().store(InMemoryBillingStore.create()).clock(clock).build();
 * clock.advance(Duration.ofDays(31)); // a month later
 * }</pre>
 *
 * <p>Safe to read and move from many threads: every reading is of one instant, and concurrent
 * {@link #advance} calls all count (none is lost). The billing library keeps times to the
 * microsecond and refuses instants outside years 1 to 9999, so keep the clock there.
 *
 * <p>The zone is UTC unless {@link #withZone} says otherwise; a clock returned by {@code withZone}
 * shares this clock's instant (moving either moves both), so {@code LocalDate.now(clock)} in the
 * host's code follows the test.
 */
public final class TestClock extends Clock {

  /** Where {@link #TestClock()} starts: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  /** A clock at {@link #DEFAULT_START}, in UTC. */
  public TestClock() {
    this(DEFAULT_START);
  }

  /** A clock at {@code start}, in UTC. */
  public TestClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  private TestClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * Moves the clock forward by {@code by} (zero leaves it where it is) and returns the new instant.
   *
   * @throws IllegalArgumentException if {@code by} is negative: time goes back only by an explicit
   *     {@link #set}, so a sign slip in a test is not silently a trip into the past
   */
  public Instant advance(Duration by) {
    Objects.requireNonNull(by, "by");
    if (by.isNegative()) {
      throw new IllegalArgumentException(
          "a TestClock only advances (use set(..) to go back): " + by);
    }
    return now.updateAndGet(i -> i.plus(by));
  }

  /** Sets the clock to {@code instant}, earlier or later than now. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return Objects.requireNonNull(now.get(), "now"); // set only to non-null instants
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view of this clock in {@code zone}: the same instant, moved together with this clock. */
  @Override
  public TestClock withZone(ZoneId zone) {
    return new TestClock(now, Objects.requireNonNull(zone, "zone"));
  }

  @Override
  public String toString() {
    return "TestClock[" + now.get() + ", " + zone + "]";
  }
}
