package dev.billingsdk.micrometer;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gauge's value that is read from its source at most once per interval, on a monotonic ticker: a
 * registry scraped every second must not query the store or call a provider every second. A source
 * that throws is logged at warn and gives the fallback value until the next read.
 */
final class Refreshed {
  private static final Logger LOG = LoggerFactory.getLogger(Refreshed.class);

  private final String what;
  private final DoubleSupplier source;
  private final double fallback;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private boolean read;
  private long readAt;
  private double value;

  Refreshed(
      String what,
      DoubleSupplier source,
      double fallback,
      Duration interval,
      LongSupplier nanoTime) {
    this.what = what;
    this.source = source;
    this.fallback = fallback;
    this.intervalNanos = saturatedNanos(interval);
    this.nanoTime = nanoTime;
  }

  /** The source's value, read again if the last read is at least the interval old. */
  synchronized double value() {
    long now = nanoTime.getAsLong();
    if (!read || now - readAt >= intervalNanos) {
      read = true;
      readAt = now;
      try {
        value = source.getAsDouble();
      } catch (RuntimeException e) {
        LOG.warn("billing metrics could not read the {}; reporting {}", what, fallback, e);
        value = fallback;
      }
    }
    return value;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
