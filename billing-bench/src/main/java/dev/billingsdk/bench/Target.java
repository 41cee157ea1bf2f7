package dev.billingsdk.bench;

import java.util.function.Predicate;

/**
 * What a figure should reach, as the issue states it, and how to tell whether it did.
 *
 * @param text the target as the results table shows it, e.g. {@code ≥ 0.7× pgbench}
 * @param hit whether a row meets it
 */
public record Target(String text, Predicate<Row> hit) {

  /** ours / baseline ≥ {@code ratio} (rates). */
  public static Target ratioAtLeast(double ratio, String baseline) {
    return new Target(
        "≥ " + ratio + "× " + baseline, r -> !Double.isNaN(r.ratio()) && r.ratio() >= ratio);
  }

  /** ours takes at most {@code times} the baseline's time (times), ours / baseline ≤ times. */
  public static Target timeAtMost(double times, String baseline) {
    return new Target(
        "≤ " + times + "× " + baseline + "'s time",
        r -> !Double.isNaN(r.ratio()) && r.ratio() <= times);
  }

  /** An in-memory target on the rate alone: at least {@code perSecond}. */
  public static Target rateAtLeast(double perSecond) {
    return new Target(
        "≥ " + Measurement.number(perSecond) + "/s", r -> r.ours().value() >= perSecond);
  }

  /**
   * This target and at most {@code maxBytes} allocated per operation, as measured ({@code NaN} when
   * the allocation was not measured: then the target is missed).
   */
  public Target andAllocatesAtMost(long maxBytes, double measuredBytes, String per) {
    Predicate<Row> rate = hit;
    return new Target(
        text + " and ≤ " + maxBytes + " B/" + per,
        r -> rate.test(r) && !Double.isNaN(measuredBytes) && measuredBytes <= maxBytes);
  }

  /** No target: the figure is reported for context. */
  public static Target none() {
    return new Target("(context)", r -> true);
  }

  public boolean isContext() {
    return text.equals("(context)");
  }
}
