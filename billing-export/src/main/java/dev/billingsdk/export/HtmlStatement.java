package dev.billingsdk.export;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.export.internal.Cells;
import dev.billingsdk.export.internal.Charts;
import dev.billingsdk.export.internal.Html;
import dev.billingsdk.money.Amount;
import dev.billingsdk.statement.HourlyPoint;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementLine;
import dev.billingsdk.statement.UsageRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A statement as one self-contained, printable HTML page (seed 002's statement panel): the ending
 * balance, the summary (opening, credits, charges, reversals, expiries, ending balance), the
 * monthly cost as a pie chart by a dimension (pool unless the caller picks another, such as the
 * machine type or region), the hourly cost as a bar chart, the lines, the credits received, and the
 * machine-usage detail.
 *
 * <p>The page loads nothing: no script, no external style sheet, font or image (the style is
 * inline, the charts are inline SVG), and its Content-Security-Policy forbids loading anything. It
 * prints on A4 or Letter ({@code @media print}). Each chart is {@code role="img"}, labelled by its
 * {@code <title>} and {@code <desc>}, and followed by a table of its data for readers who cannot
 * see it. Every piece of text from the statement (ids, keys, dimension names and values) is
 * HTML-escaped. The same statement and options give the same bytes: nothing depends on the clock,
 * the locale or the platform.
 */
public final class HtmlStatement {
  private HtmlStatement() {}

  /** The dimension the monthly cost pie is by unless the caller names another. */
  public static final String DEFAULT_PIE_DIMENSION = "pool";

  /** The page, with the monthly cost by {@value #DEFAULT_PIE_DIMENSION}. */
  public static String render(Statement statement) {
    return render(statement, DEFAULT_PIE_DIMENSION);
  }

  /**
   * The page, with the monthly cost by {@code pieDimension} (e.g. {@code type}, {@code region}).
   */
  public static String render(Statement statement, String pieDimension) {
    StringBuilder out = new StringBuilder(16_384);
    try {
      write(statement, pieDimension, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Writes the page (UTF-8 when stored as bytes) to {@code out}. */
  public static void write(Statement statement, String pieDimension, Appendable out)
      throws IOException {
    InvalidRequestException.requireNonNull(statement, "statement");
    InvalidRequestException.requireText(pieDimension, "pieDimension");
    InvalidRequestException.requireNonNull(out, "out");
    out.append(page(statement, pieDimension));
  }

  private static final String STYLE =
      "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;"
          + "color:#1a1a1a;margin:2rem auto;max-width:60rem;padding:0 1rem;line-height:1.4}"
          + "h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;"
          + "border-bottom:1px solid #ccc;padding-bottom:.25rem}"
          + ".meta{color:#555;margin:0}.balance{font-size:1.4rem;margin:1rem 0}"
          + ".balance strong{font-size:1.8rem}"
          + "table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}"
          + "caption{text-align:left;font-weight:600;padding:.25rem 0}"
          + "th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}"
          + "th{background:#f3f3f3}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;"
          + "white-space:nowrap}"
          + ".charts{display:flex;flex-wrap:wrap;gap:1rem}"
          + "figure{margin:0}svg.chart{max-width:100%;height:auto;font-size:12px;"
          + "font-family:inherit}"
          + ".late{color:#8a4b00}.note{color:#555;font-size:.85rem}"
          + "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
          + "@media print{body{margin:0;max-width:none;font-size:10pt}"
          + "h2{break-after:avoid}figure,tr{break-inside:avoid}"
          + "table{font-size:9pt}@page{margin:15mm}}";

  private static String page(Statement s, String pieDimension) {
    String unit = s.unit().code();
    StringBuilder h = new StringBuilder(16_384);
    String title =
        "Statement " + s.account().value() + " " + Cells.month(s.month()) + " (" + unit + ")";
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " style-src 'unsafe-inline'\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"billingsdk billing-export\">\n")
        .append("<title>")
        .append(Html.text(title))
        .append("</title>\n<style>")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n<header>\n<h1>")
        .append(Html.text("Statement for " + s.account().value()))
        .append("</h1>\n<p class=\"meta\">")
        .append(Html.text("Tenant " + s.tenant().value()))
        .append(" &middot; Month ")
        .append(Html.text(Cells.month(s.month())))
        .append(" (")
        .append(Html.text(Cells.time(s.window().from())))
        .append(" to ")
        .append(Html.text(Cells.time(s.window().until())))
        .append(") &middot; ")
        .append(s.status() == Statement.Status.CLOSED ? "Closed" : "Open, may still change")
        .append(s.closedAt().map(t -> " " + Cells.time(t)).orElse(""))
        .append("</p>\n<p class=\"balance\">Ending balance <strong>")
        .append(money(s.closing()))
        .append("</strong></p>\n</header>\n");

    summary(h, s);
    charts(h, s, pieDimension);
    lines(h, s);
    credits(h, s);
    machines(h, s);
    otherUsage(h, s);
    h.append("<footer><p class=\"note\">Amounts are exact, in ")
        .append(Html.text(unit))
        .append("; times are UTC (ISO 8601).</p></footer>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void summary(StringBuilder h, Statement s) {
    h.append("<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n")
        .append("<thead><tr><th scope=\"col\">Item</th><th scope=\"col\" class=\"num\">Amount")
        .append("</th></tr></thead>\n<tbody>\n");
    row(h, "Opening balance", s.opening());
    row(h, "Credits received", s.credits());
    row(h, "Charges (usage, fees, licences, add-ons)", s.charges().negate());
    if (!s.reversals().isZero()) {
      row(h, "Charges reversed", s.reversals());
    }
    row(h, "Expired, voided and refunded credit", s.expiriesAndVoids().negate());
    h.append("<tr><th scope=\"row\">Ending balance</th><td class=\"num\"><strong>")
        .append(money(s.closing()))
        .append("</strong></td></tr>\n</tbody>\n</table>\n</section>\n");
  }

  private static void row(StringBuilder h, String label, Amount amount) {
    h.append("<tr><th scope=\"row\">")
        .append(Html.text(label))
        .append("</th><td class=\"num\">")
        .append(money(amount))
        .append("</td></tr>\n");
  }

  private static void charts(StringBuilder h, Statement s, String dimension) {
    Map<String, Amount> by = s.costBy(dimension);
    String pieTitle = "Monthly cost by " + dimension;
    StringBuilder desc = new StringBuilder("Usage cost of " + Cells.month(s.month()) + " by ");
    desc.append(dimension).append(": ");
    if (by.isEmpty()) {
      desc.append("no usage.");
    }
    List<String> parts = new ArrayList<>();
    by.forEach((k, v) -> parts.add(Charts.label(k) + " " + Cells.decimal(v) + " " + v.unit()));
    desc.append(String.join(", ", parts));
    List<HourlyPoint> hourly = s.hourly(Optional.empty());
    String barTitle = "Hourly cost";
    String barDesc =
        "Usage cost per UTC hour of "
            + Cells.month(s.month())
            + ": "
            + hourly.size()
            + (hourly.size() == 1 ? " hour" : " hours")
            + " with usage"
            + hourly.stream()
                .max((a, b) -> a.credits().compareTo(b.credits()))
                .map(
                    p ->
                        ", the highest "
                            + Cells.decimal(p.credits())
                            + " "
                            + p.credits().unit().code()
                            + " at "
                            + Cells.time(p.hour()))
                .orElse("")
            + ".";

    h.append("<section id=\"charts\">\n<h2>Monthly cost and hourly cost</h2>\n")
        .append("<div class=\"charts\">\n<figure>\n")
        .append(Charts.pie("monthly-cost", pieTitle, desc.toString(), by))
        .append("\n</figure>\n<figure>\n")
        .append(
            Charts.hourlyBars(
                "hourly-cost", barTitle, barDesc, hourly, s.window().from(), s.window().until()))
        .append("\n</figure>\n</div>\n");

    h.append("<table id=\"monthly-cost-data\">\n<caption>")
        .append(Html.text(pieTitle))
        .append(" (chart data)</caption>\n<thead><tr><th scope=\"col\">")
        .append(Html.text(dimension))
        .append("</th><th scope=\"col\" class=\"num\">Cost</th><th scope=\"col\" class=\"num\">")
        .append("Share</th></tr></thead>\n<tbody>\n");
    long total = 0;
    for (Amount a : by.values()) {
      total += a.minor();
    }
    for (Map.Entry<String, Amount> e : by.entrySet()) {
      h.append("<tr><th scope=\"row\">")
          .append(Html.text(Charts.label(e.getKey())))
          .append("</th><td class=\"num\">")
          .append(money(e.getValue()))
          .append("</td><td class=\"num\">")
          .append(total == 0 ? "" : Charts.percent(e.getValue().minor(), total))
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n");

    h.append("<table id=\"hourly-cost-data\">\n<caption>")
        .append(Html.text(barTitle))
        .append(" (chart data)</caption>\n<thead><tr><th scope=\"col\">Hour (UTC)</th>")
        .append("<th scope=\"col\" class=\"num\">Cost</th><th scope=\"col\" class=\"num\">")
        .append("Machines running</th></tr></thead>\n<tbody>\n");
    for (HourlyPoint p : hourly) {
      h.append("<tr><th scope=\"row\">")
          .append(Html.text(Cells.time(p.hour())))
          .append("</th><td class=\"num\">")
          .append(money(p.credits()))
          .append("</td><td class=\"num\">")
          .append(p.instances())
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  private static void lines(StringBuilder h, Statement s) {
    h.append("<section id=\"lines\">\n<h2>Lines</h2>\n<table>\n<thead><tr>")
        .append("<th scope=\"col\">Section</th><th scope=\"col\">Item</th>")
        .append("<th scope=\"col\">Month</th><th scope=\"col\" class=\"num\">Transactions</th>")
        .append("<th scope=\"col\" class=\"num\">Amount</th>")
        .append("<th scope=\"col\" class=\"num\">Effect on balance</th></tr></thead>\n<tbody>\n");
    if (s.lines().isEmpty()) {
      h.append("<tr><td colspan=\"6\">No transactions this month.</td></tr>\n");
    }
    for (StatementLine l : s.lines()) {
      h.append("<tr")
          .append(l.lateFor().isPresent() ? " class=\"late\"" : "")
          .append("><td>")
          .append(Html.text(section(l.section())))
          .append("</td><td>")
          .append(Html.text(l.key()))
          .append("</td><td>")
          .append(
              Html.text(
                  l.lateFor()
                      .map(m -> "late, for " + Cells.month(m))
                      .orElse(Cells.month(s.month()))))
          .append("</td><td class=\"num\">")
          .append(l.transactions())
          .append("</td><td class=\"num\">")
          .append(money(l.amount()))
          .append("</td><td class=\"num\">")
          .append(money(l.effect()))
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  private static void credits(StringBuilder h, Statement s) {
    List<StatementLine> credits = s.lines(StatementLine.Section.CREDIT);
    h.append("<section id=\"credits\">\n<h2>Credits</h2>\n");
    if (credits.isEmpty()) {
      h.append("<p>No credits this month.</p>\n</section>\n");
      return;
    }
    h.append("<table>\n<thead><tr><th scope=\"col\">Category</th><th scope=\"col\">Month</th>")
        .append("<th scope=\"col\" class=\"num\">Transactions</th>")
        .append("<th scope=\"col\" class=\"num\">Credited</th></tr></thead>\n<tbody>\n");
    for (StatementLine l : credits) {
      h.append("<tr><td>")
          .append(Html.text(l.key()))
          .append("</td><td>")
          .append(Html.text(Cells.month(l.lateFor().orElse(s.month()))))
          .append("</td><td class=\"num\">")
          .append(l.transactions())
          .append("</td><td class=\"num\">")
          .append(money(l.amount()))
          .append("</td></tr>\n");
    }
    h.append("<tr><th scope=\"row\" colspan=\"3\">Total</th><td class=\"num\">")
        .append(money(s.credits()))
        .append("</td></tr>\n</tbody>\n</table>\n</section>\n");
  }

  private static void machines(StringBuilder h, Statement s) {
    List<UsageRow> rows = s.runningUsage();
    h.append("<section id=\"machine-usage\">\n<h2>Machine usage</h2>\n");
    if (rows.isEmpty()) {
      h.append("<p>No machine usage this month.</p>\n</section>\n");
      return;
    }
    TreeSet<String> names = new TreeSet<>();
    for (UsageRow r : rows) {
      String key = s.runningMeters().get(r.meter());
      r.dimensions().keySet().stream().filter(k -> !k.equals(key)).forEach(names::add);
    }
    h.append("<table id=\"machine-usage-data\">\n<thead><tr><th scope=\"col\">Machine</th>")
        .append("<th scope=\"col\">Start (UTC)</th><th scope=\"col\" class=\"num\">Duration</th>")
        .append("<th scope=\"col\">Meter</th>");
    for (String n : names) {
      h.append("<th scope=\"col\">").append(Html.text(n)).append("</th>");
    }
    h.append("<th scope=\"col\">Month</th><th scope=\"col\" class=\"num\">Cost</th></tr></thead>\n")
        .append("<tbody>\n");
    for (UsageRow r : rows) {
      h.append("<tr")
          .append(r.period().equals(s.month()) ? "" : " class=\"late\"")
          .append("><td>")
          .append(Html.text(r.instance().orElse("")))
          .append("</td><td>")
          .append(Html.text(Cells.time(r.start())))
          .append("</td><td class=\"num\">")
          .append(Html.text(duration(r.duration())))
          .append("</td><td>")
          .append(Html.text(r.meter()))
          .append("</td>");
      for (String n : names) {
        h.append("<td>").append(Html.text(r.dimensions().getOrDefault(n, ""))).append("</td>");
      }
      h.append("<td>")
          .append(Html.text(Cells.month(r.period())))
          .append("</td><td class=\"num\">")
          .append(money(r.credits()))
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  private static void otherUsage(StringBuilder h, Statement s) {
    List<UsageRow> rows = s.usageRows().stream().filter(r -> r.instance().isEmpty()).toList();
    if (rows.isEmpty()) {
      return;
    }
    h.append("<section id=\"usage\">\n<h2>Other usage</h2>\n<table>\n<thead><tr>")
        .append("<th scope=\"col\">Meter</th><th scope=\"col\">Dimensions</th>")
        .append("<th scope=\"col\">Month</th><th scope=\"col\" class=\"num\">Quantity</th>")
        .append("<th scope=\"col\" class=\"num\">Cost</th></tr></thead>\n<tbody>\n");
    for (UsageRow r : rows) {
      List<String> dims = new ArrayList<>();
      Cells.sorted(r.dimensions()).forEach((k, v) -> dims.add(k + "=" + v));
      h.append("<tr><td>")
          .append(Html.text(r.meter()))
          .append("</td><td>")
          .append(Html.text(String.join(", ", dims)))
          .append("</td><td>")
          .append(Html.text(Cells.month(r.period())))
          .append("</td><td class=\"num\">")
          .append(Html.text(Cells.decimal(r.quantity())))
          .append("</td><td class=\"num\">")
          .append(money(r.credits()))
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  private static String money(Amount amount) {
    return Html.text(Cells.decimal(amount) + " " + amount.unit().code());
  }

  private static String section(StatementLine.Section section) {
    switch (section) {
      case CREDIT:
        return "Credit";
      case USAGE:
        return "Usage";
      case FIXED_FEE:
        return "Fixed fee";
      case LICENCE:
        return "Licence";
      case ADD_ON:
        return "Add-on";
      case REVERSAL:
        return "Reversal";
      case EXPIRY:
        return "Expiry";
      case VOID:
        return "Void";
      case DEDUCTION:
        return "Deduction";
      default:
        return "Refund";
    }
  }

  /** {@code 2 h 05 min}, with seconds when there are any. */
  static String duration(Duration d) {
    long seconds = d.getSeconds();
    String text =
        String.format(
            java.util.Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
    return seconds % 60 == 0
        ? text
        : text + String.format(java.util.Locale.ROOT, " %02d s", seconds % 60);
  }
}
