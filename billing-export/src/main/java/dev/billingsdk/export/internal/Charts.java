package dev.billingsdk.export.internal;

import dev.billingsdk.money.Amount;
import dev.billingsdk.statement.HourlyPoint;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The statement's charts as inline SVG: each is {@code role="img"}, labelled by its own {@code
 * <title>} and {@code <desc>} (so a screen reader announces it), and every mark has a {@code
 * <title>} naming its exact value. Coordinates are computed with {@link StrictMath} and written
 * with two decimals in {@link Locale#ROOT}, so the same data draws the same bytes on every JVM.
 */
public final class Charts {
  private Charts() {}

  /**
   * Fill colours of the slices and bars, in order (distinct in print and for most colour vision).
   */
  static final List<String> PALETTE =
      List.of(
          "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
          "#bcbd22", "#17becf");

  /**
   * A pie of the positive amounts (largest first, as given), with a legend. {@code id} prefixes the
   * ids of its title and description.
   */
  public static String pie(String id, String title, String desc, Map<String, Amount> slices) {
    StringBuilder svg = open(id, title, desc, 460, 240);
    long total = 0;
    for (Amount a : slices.values()) {
      total += a.isPositive() ? a.minor() : 0;
    }
    if (total == 0) {
      svg.append("<text x=\"230\" y=\"120\" text-anchor=\"middle\">No usage cost</text>");
      return svg.append("</svg>").toString();
    }
    double cx = 120;
    double cy = 120;
    double r = 105;
    long before = 0;
    int i = 0;
    for (Map.Entry<String, Amount> e : slices.entrySet()) {
      Amount a = e.getValue();
      if (!a.isPositive()) {
        continue;
      }
      String colour = PALETTE.get(i % PALETTE.size());
      String label = label(e.getKey());
      String tip =
          Html.text(label + ": " + Cells.decimal(a) + " " + a.unit().code())
              + " ("
              + percent(a.minor(), total)
              + ")";
      svg.append("<g class=\"slice\">");
      if (a.minor() == total) {
        svg.append("<circle cx=\"")
            .append(n(cx))
            .append("\" cy=\"")
            .append(n(cy))
            .append("\" r=\"")
            .append(n(r))
            .append("\" fill=\"")
            .append(colour)
            .append("\">");
        svg.append("<title>").append(tip).append("</title></circle>");
      } else {
        double start = 2 * StrictMath.PI * before / total - StrictMath.PI / 2;
        double end = 2 * StrictMath.PI * (before + a.minor()) / total - StrictMath.PI / 2;
        int large = (a.minor() * 2 > total) ? 1 : 0;
        svg.append("<path d=\"M")
            .append(n(cx))
            .append(' ')
            .append(n(cy))
            .append(" L")
            .append(n(cx + r * StrictMath.cos(start)))
            .append(' ')
            .append(n(cy + r * StrictMath.sin(start)))
            .append(" A")
            .append(n(r))
            .append(' ')
            .append(n(r))
            .append(" 0 ")
            .append(large)
            .append(" 1 ")
            .append(n(cx + r * StrictMath.cos(end)))
            .append(' ')
            .append(n(cy + r * StrictMath.sin(end)))
            .append(" Z\" fill=\"")
            .append(colour)
            .append("\" stroke=\"#fff\" stroke-width=\"1\">");
        svg.append("<title>").append(tip).append("</title></path>");
      }
      svg.append("</g>");
      if (i < 10) {
        double y = 30 + i * 20;
        svg.append("<rect x=\"250\" y=\"")
            .append(n(y - 10))
            .append("\" width=\"12\" height=\"12\" fill=\"")
            .append(colour)
            .append("\"/><text x=\"268\" y=\"")
            .append(n(y))
            .append("\">")
            .append(Html.text(shorten(label)))
            .append(" \u2013 ")
            .append(percent(a.minor(), total))
            .append("</text>");
      }
      before += a.minor();
      i++;
    }
    return svg.append("</svg>").toString();
  }

  /**
   * Bars of the hourly cost on a time axis from {@code from} to {@code until} (widened to hold
   * every point), with day ticks and the largest hour's cost on the value axis.
   */
  public static String hourlyBars(
      String id, String title, String desc, List<HourlyPoint> points, Instant from, Instant until) {
    double left = 70;
    double top = 20;
    double width = 670;
    double height = 200;
    StringBuilder svg = open(id, title, desc, 760, 260);
    Instant first = from;
    Instant last = until;
    Amount max = null;
    for (HourlyPoint p : points) {
      first = p.hour().isBefore(first) ? p.hour() : first;
      Instant end = p.hour().plus(Duration.ofHours(1));
      last = end.isAfter(last) ? end : last;
      max = (max == null || p.credits().compareTo(max) > 0) ? p.credits() : max;
    }
    long hours = Math.max(1, Duration.between(first, last).toHours());
    double step = width / hours;
    // Axes.
    svg.append("<g class=\"axis\" stroke=\"#444\" stroke-width=\"1\">")
        .append(line(left, top + height, left + width, top + height))
        .append(line(left, top, left, top + height))
        .append("</g>");
    // Day ticks: the 1st, 8th, 15th, 22nd and 29th of each month in range.
    ZonedDateTime day = first.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC);
    while (day.toInstant().isBefore(last)) {
      int d = day.getDayOfMonth();
      if (!day.toInstant().isBefore(first) && (d == 1 || d == 8 || d == 15 || d == 22 || d == 29)) {
        double x = left + Duration.between(first, day.toInstant()).toHours() * step;
        svg.append("<g class=\"tick\">")
            .append(line(x, top + height, x, top + height + 5))
            .append("<text x=\"")
            .append(n(x))
            .append("\" y=\"")
            .append(n(top + height + 18))
            .append("\" text-anchor=\"middle\">")
            .append(String.format(Locale.ROOT, "%02d-%02d", day.getMonthValue(), d))
            .append("</text></g>");
      }
      day = day.plusDays(1);
    }
    svg.append("<text x=\"")
        .append(n(left + width / 2))
        .append("\" y=\"")
        .append(n(top + height + 36))
        .append("\" text-anchor=\"middle\">Day (UTC)</text>");
    if (max == null || !max.isPositive()) {
      svg.append("<text x=\"")
          .append(n(left + width / 2))
          .append("\" y=\"")
          .append(n(top + height / 2))
          .append("\" text-anchor=\"middle\">No usage cost</text>");
      return svg.append("</svg>").toString();
    }
    String unit = max.unit().code();
    BigDecimal maxValue = max.toDecimal();
    for (int k = 0; k <= 2; k++) {
      BigDecimal v = maxValue.multiply(BigDecimal.valueOf(k)).divide(BigDecimal.valueOf(2));
      double y = top + height - height * k / 2.0;
      svg.append("<g class=\"tick\">")
          .append(line(left - 5, y, left, y))
          .append("<text x=\"")
          .append(n(left - 8))
          .append("\" y=\"")
          .append(n(y + 4))
          .append("\" text-anchor=\"end\">")
          .append(Html.text(v.toPlainString()))
          .append("</text></g>");
    }
    svg.append("<text x=\"14\" y=\"")
        .append(n(top + height / 2))
        .append("\" text-anchor=\"middle\" transform=\"rotate(-90 14 ")
        .append(n(top + height / 2))
        .append(")\">")
        .append(Html.text(unit))
        .append(" per hour</text>");
    double barWidth = Math.max(step, 2);
    svg.append("<g class=\"bars\" fill=\"").append(PALETTE.get(0)).append("\">");
    for (HourlyPoint p : points) {
      if (!p.credits().isPositive()) {
        continue;
      }
      double h = height * p.credits().minor() / (double) max.minor();
      double x = left + Duration.between(first, p.hour()).toHours() * step;
      svg.append("<rect x=\"")
          .append(n(x))
          .append("\" y=\"")
          .append(n(top + height - h))
          .append("\" width=\"")
          .append(n(barWidth))
          .append("\" height=\"")
          .append(n(h))
          .append("\"><title>")
          .append(Cells.time(p.hour()))
          .append(": ")
          .append(Html.text(Cells.decimal(p.credits()) + " " + p.credits().unit().code()))
          .append(", ")
          .append(p.instances())
          .append(p.instances() == 1 ? " instance" : " instances")
          .append("</title></rect>");
    }
    return svg.append("</g></svg>").toString();
  }

  /** The share {@code part / total} as a percentage with one decimal, e.g. {@code 80.0%}. */
  public static String percent(long part, long total) {
    return BigDecimal.valueOf(part)
            .multiply(BigDecimal.valueOf(100))
            .divide(BigDecimal.valueOf(total), MathContext.DECIMAL64)
            .setScale(1, RoundingMode.HALF_EVEN)
            .toPlainString()
        + "%";
  }

  /** How a dimension value is shown: usage without the dimension is "(none)". */
  public static String label(String value) {
    return value.isEmpty() ? "(none)" : value;
  }

  private static String shorten(String label) {
    return label.length() <= 24 ? label : label.substring(0, 23) + "\u2026";
  }

  private static StringBuilder open(String id, String title, String desc, int w, int h) {
    StringBuilder svg = new StringBuilder();
    svg.append("<svg id=\"")
        .append(id)
        .append("\" class=\"chart\" role=\"img\" aria-labelledby=\"")
        .append(id)
        .append("-title ")
        .append(id)
        .append("-desc\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(h)
        .append("\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(h)
        .append("\"><title id=\"")
        .append(id)
        .append("-title\">")
        .append(Html.text(title))
        .append("</title><desc id=\"")
        .append(id)
        .append("-desc\">")
        .append(Html.text(desc))
        .append("</desc>");
    return svg;
  }

  private static String line(double x1, double y1, double x2, double y2) {
    return "<line x1=\""
        + n(x1)
        + "\" y1=\""
        + n(y1)
        + "\" x2=\""
        + n(x2)
        + "\" y2=\""
        + n(y2)
        + "\"/>";
  }

  /** A coordinate with two decimals, never {@code -0.00}. */
  static String n(double value) {
    String s = String.format(Locale.ROOT, "%.2f", value);
    return s.equals("-0.00") ? "0.00" : s;
  }
}
