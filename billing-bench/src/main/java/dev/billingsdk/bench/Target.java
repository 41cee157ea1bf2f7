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

  /**
   * An in-memory target: at least {@code perSecond}, and at most {@code slowdown} times slower than
   * the bare baseline (ratio ≥ 1 / slowdown).
   */
  public static Target rateAndOverhead(double perSecond, double slowdown) {
    return new Target(
        "≥ " + Measurement.number(perSecond) + "/s and ≤ " + slowdown + "× baseline",
        r -> r.ours().value() >= perSecond && r.ratio() >= 1 / slowdown);
  }

  /** Only the overhead bound: ours / baseline ≥ 1 / slowdown. */
  public static Target overheadAtMost(double slowdown) {
    return new Target("≤ " + slowdown + "× baseline", r -> r.ratio() >= 1 / slowdown);
  }

  /** No target: the figure is reported for context. */
  public static Target none() {
    return new Target("(context)", r -> true);
  }

  public boolean isContext() {
    return text.equals("(context)");
  }
}
