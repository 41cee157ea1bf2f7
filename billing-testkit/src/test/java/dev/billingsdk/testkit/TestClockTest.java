package dev.billingsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestClockTest {
  static final Instant T0 = Instant.parse("2030-05-06T07:08:09.123456Z");

  @Test
  void standsStillAtItsStartUntilMoved() {
    TestClock clock = new TestClock(T0);
    assertThat(clock.instant()).isEqualTo(T0);
    assertThat(clock.instant()).isEqualTo(T0);
    assertThat(clock.millis()).isEqualTo(T0.toEpochMilli());
    assertThat(new TestClock().instant()).isEqualTo(TestClock.DEFAULT_START);
  }

  @Test
  void advancesByADurationAndReturnsTheNewInstant() {
    TestClock clock = new TestClock(T0);
    assertThat(clock.advance(Duration.ofDays(31))).isEqualTo(T0.plus(Duration.ofDays(31)));
    assertThat(clock.advance(Duration.ZERO)).isEqualTo(T0.plus(Duration.ofDays(31)));
    assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofDays(31)));
  }

  @Test
  void refusesToAdvanceBackwardsButSetGoesAnywhere() {
    TestClock clock = new TestClock(T0);
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only advances")
        .hasMessageContaining("PT-1S");
    assertThat(clock.instant()).isEqualTo(T0);
    clock.set(T0.minus(Duration.ofDays(400)));
    assertThat(clock.instant()).isEqualTo(T0.minus(Duration.ofDays(400)));
    clock.set(T0);
    assertThat(clock.instant()).isEqualTo(T0);
  }

  @Test
  void refusesNulls() {
    TestClock clock = new TestClock(T0);
    assertThatThrownBy(() -> new TestClock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> clock.advance(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> clock.set(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> clock.withZone(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void isUtcAndAZonedViewMovesWithIt() {
    TestClock clock = new TestClock(Instant.parse("2026-01-31T23:30:00Z"));
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    TestClock tokyo = clock.withZone(ZoneId.of("Asia/Tokyo"));
    assertThat(tokyo.getZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(LocalDate.now(clock)).isEqualTo(LocalDate.parse("2026-01-31"));
    assertThat(LocalDate.now(tokyo)).isEqualTo(LocalDate.parse("2026-02-01"));
    clock.advance(Duration.ofDays(1));
    assertThat(tokyo.instant()).isEqualTo(clock.instant());
    tokyo.set(T0);
    assertThat(clock.instant()).isEqualTo(T0);
    assertThat(clock.toString()).isEqualTo("TestClock[" + T0 + ", Z]");
  }

  @Test
  void concurrentAdvancesAreNeverLost() throws Exception {
    TestClock clock = new TestClock(T0);
    int threads = 8;
    int steps = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> running = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        running.add(
            pool.submit(
                () -> {
                  start.await();
                  Instant seen = clock.instant();
                  boolean monotonic = true;
                  for (int s = 0; s < steps; s++) {
                    clock.advance(Duration.ofNanos(1_000));
                    Instant now = clock.instant();
                    monotonic &= !now.isBefore(seen);
                    seen = now;
                  }
                  return monotonic;
                }));
      }
      start.countDown();
      for (Future<Boolean> f : running) {
        assertThat(f.get(1, TimeUnit.MINUTES)).as("no thread saw the clock go back").isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(clock.instant()).isEqualTo(T0.plusNanos(1_000L * threads * steps));
  }
}
