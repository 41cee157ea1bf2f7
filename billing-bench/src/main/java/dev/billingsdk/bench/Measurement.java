package dev.billingsdk.bench;

/**
 * One measured figure: a rate (higher is better, e.g. operations per second) or a time (lower is
 * better, e.g. milliseconds per query).
 *
 * @param value the mean
 * @param error the half-width of the error bar in the same unit (JMH's 99.9% interval, or the
 *     spread of repeated runs); {@code NaN} when there is none
 * @param unit e.g. {@code ops/s}, {@code rows/s}, {@code ms}
 * @param lowerIsBetter true for times
 */
public record Measurement(double value, double error, String unit, boolean lowerIsBetter) {

  public static Measurement rate(double value, double error, String unit) {
    return new Measurement(value, error, unit, false);
  }

  public static Measurement rate(double value, String unit) {
    return rate(value, Double.NaN, unit);
  }

  public static Measurement time(double value, double error, String unit) {
    return new Measurement(value, error, unit, true);
  }

  /** Mean and the half-width of the spread (max - min) / 2 of repeated samples. */
  public static Measurement ofSamples(double[] samples, String unit, boolean lowerIsBetter) {
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double s : samples) {
      sum += s;
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    double error = samples.length > 1 ? (max - min) / 2 : Double.NaN;
    return new Measurement(sum / samples.length, error, unit, lowerIsBetter);
  }

  /** As the results table shows it: {@code 1,234,567 ± 12,345 ops/s}. */
  public String format() {
    String v = number(value);
    return Double.isNaN(error) ? v + " " + unit : v + " ± " + number(error) + " " + unit;
  }

  static String number(double d) {
    if (Double.isNaN(d)) {
      return "n/a";
    }
    if (Math.abs(d) >= 100) {
      return String.format(java.util.Locale.ROOT, "%,.0f", d);
    }
    if (Math.abs(d) >= 1) {
      return String.format(java.util.Locale.ROOT, "%,.2f", d);
    }
    return String.format(java.util.Locale.ROOT, "%.4g", d);
  }
}
