package dev.billingsdk.export;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.export.internal.Cells;
import dev.billingsdk.export.internal.CsvTable;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.statement.HourlyPoint;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementLine;
import dev.billingsdk.statement.UsageRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Statements and usage summaries as CSV for finance (RFC 4180: comma separated, CRLF line ends,
 * fields quoted only when they hold a comma, quote or line break; written by Apache Commons CSV).
 * Every table starts with a header row.
 *
 * <p>Values: amounts are exact decimals in whole units ({@code 12.00}, {@code -5.00}; never
 * scientific notation), with the unit's code in its own {@code unit} column; quantities are exact
 * decimals in the meter's unit; times are ISO 8601 in UTC ({@code 2026-10-03T10:00:00Z}); months
 * are {@code yyyy-MM}; durations ISO 8601 ({@code PT2H30M}).
 *
 * <p>Formula safety: a text cell (an account or tenant id, a line key, a meter, a dimension's name
 * or value, a group) that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
 * carriage return gets a single quote ({@code '}) in front, so a spreadsheet opening the file shows
 * the text instead of executing it: {@code =HYPERLINK(..)} is written {@code '=HYPERLINK(..)}.
 * Number cells are never changed: they are exact decimals this class formatted itself (digits, at
 * most one point, a leading minus for a negative amount), which a spreadsheet reads as numbers.
 */
public final class CsvExport {
  private CsvExport() {}

  /** The tables of a statement. */
  public enum StatementTable {
    /**
     * One row: tenant, account, month, status, unit, opening, credits, charges, reversals, expiries
     * (with voids and refunds), closing, transactions, closed_at.
     */
    SUMMARY,
    /** One row per statement line: section, key, late_for, amount, unit, transactions. */
    LINES,
    /**
     * One row per usage row (meter, dimension values, usage month); instance, start and duration
     * are set for running-time meters. One {@code dimension:NAME} column per dimension name.
     */
    USAGE,
    /** The machine-usage detail: the {@link #USAGE} rows of running-time meters only. */
    MACHINES,
    /** The hourly series in total: hour, credits, unit, instances. */
    HOURLY
  }

  /** The table of the statement as CSV text. */
  public static String statement(Statement statement, StatementTable table) {
    StringBuilder out = new StringBuilder();
    try {
      writeStatement(statement, table, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringBuilder does not throw
    }
    return out.toString();
  }

  /** Writes the table of the statement as CSV to {@code out}. */
  public static void writeStatement(Statement statement, StatementTable table, Appendable out)
      throws IOException {
    InvalidRequestException.requireNonNull(statement, "statement");
    InvalidRequestException.requireNonNull(table, "table");
    InvalidRequestException.requireNonNull(out, "out");
    switch (table) {
      case SUMMARY:
        summary(statement, out);
        break;
      case LINES:
        lines(statement, out);
        break;
      case USAGE:
        usage(statement, statement.usageRows(), out);
        break;
      case MACHINES:
        usage(statement, statement.runningUsage(), out);
        break;
      case HOURLY:
        hourly(statement, Optional.empty(), out);
        break;
    }
  }

  /**
   * The hourly series grouped by the values of a dimension (pool, machine type, region...): hour,
   * group, credits, unit, instances; one row per hour and value.
   */
  public static String hourlyBy(Statement statement, String dimension) {
    InvalidRequestException.requireNonNull(statement, "statement");
    InvalidRequestException.requireText(dimension, "dimension");
    StringBuilder out = new StringBuilder();
    try {
      hourly(statement, Optional.of(dimension), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Usage summary rows as CSV text (see {@link #writeUsageSummaries}). */
  public static String usageSummaries(List<UsageSummaryRow> rows) {
    StringBuilder out = new StringBuilder();
    try {
      writeUsageSummaries(rows, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Writes usage summary rows as CSV: tenant, account, month ({@code yyyy-MM}), meter, quantity,
   * credits, unit, currency_amount, currency (empty unless the rows were converted), then one
   * {@code dimension:NAME} column per dimension name of any row, sorted by name. Rows keep their
   * order.
   */
  public static void writeUsageSummaries(List<UsageSummaryRow> rows, Appendable out)
      throws IOException {
    InvalidRequestException.requireNonNull(rows, "rows");
    InvalidRequestException.requireNonNull(out, "out");
    TreeSet<String> names = new TreeSet<>();
    for (UsageSummaryRow r : rows) {
      InvalidRequestException.requireNonNull(r, "rows");
      names.addAll(r.dimensions().keySet());
    }
    List<String> header =
        new ArrayList<>(
            List.of(
                "tenant",
                "account",
                "month",
                "meter",
                "quantity",
                "credits",
                "unit",
                "currency_amount",
                "currency"));
    names.forEach(n -> header.add("dimension:" + n));
    CsvTable csv = new CsvTable(out, header.toArray(String[]::new));
    for (UsageSummaryRow r : rows) {
      csv.text(r.tenant().value())
          .text(r.account().value())
          .text(String.format(java.util.Locale.ROOT, "%04d-%02d", r.year(), r.month()))
          .text(r.meter())
          .number(r.quantity())
          .number(r.credits())
          .text(r.credits().unit().code());
      if (r.currency().isPresent()) {
        csv.number(r.currency().get()).text(r.currency().get().unit().code());
      } else {
        csv.text("").text("");
      }
      for (String n : names) {
        csv.text(r.dimensions().getOrDefault(n, ""));
      }
      csv.end();
    }
    csv.flush();
  }

  private static void summary(Statement s, Appendable out) throws IOException {
    CsvTable csv =
        new CsvTable(
            out,
            "tenant",
            "account",
            "month",
            "status",
            "unit",
            "opening",
            "credits",
            "charges",
            "reversals",
            "expiries_voids_refunds",
            "closing",
            "transactions",
            "closed_at");
    csv.text(s.tenant().value())
        .text(s.account().value())
        .text(Cells.month(s.month()))
        .text(s.status().name())
        .text(s.unit().code())
        .number(s.opening())
        .number(s.credits())
        .number(s.charges())
        .number(s.reversals())
        .number(s.expiriesAndVoids())
        .number(s.closing())
        .number(s.transactions())
        .text(s.closedAt().map(Cells::time).orElse(""))
        .end();
    csv.flush();
  }

  private static void lines(Statement s, Appendable out) throws IOException {
    CsvTable csv =
        new CsvTable(
            out,
            "account",
            "month",
            "section",
            "key",
            "late_for",
            "amount",
            "unit",
            "transactions");
    for (StatementLine l : s.lines()) {
      csv.text(s.account().value())
          .text(Cells.month(s.month()))
          .text(l.section().name())
          .text(l.key())
          .text(Cells.month(l.lateFor()))
          .number(l.amount())
          .text(l.amount().unit().code())
          .number(l.transactions())
          .end();
    }
    csv.flush();
  }

  private static void usage(Statement s, List<UsageRow> rows, Appendable out) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    rows.forEach(r -> names.addAll(r.dimensions().keySet()));
    List<String> header =
        new ArrayList<>(
            List.of(
                "account",
                "month",
                "meter",
                "period",
                "instance",
                "start",
                "duration",
                "quantity",
                "credits",
                "unit"));
    names.forEach(n -> header.add("dimension:" + n));
    CsvTable csv = new CsvTable(out, header.toArray(String[]::new));
    for (UsageRow r : rows) {
      Map<String, String> dims = r.dimensions();
      csv.text(s.account().value())
          .text(Cells.month(s.month()))
          .text(r.meter())
          .text(Cells.month(r.period()))
          .text(r.instance().orElse(""))
          .text(Cells.time(r.start()))
          .text(r.instance().isPresent() ? r.duration().toString() : "")
          .number(r.quantity())
          .number(r.credits())
          .text(r.credits().unit().code());
      for (String n : names) {
        csv.text(dims.getOrDefault(n, ""));
      }
      csv.end();
    }
    csv.flush();
  }

  private static void hourly(Statement s, Optional<String> dimension, Appendable out)
      throws IOException {
    List<String> header = new ArrayList<>(List.of("hour"));
    if (dimension.isPresent()) {
      header.add(dimension.get());
    }
    header.addAll(List.of("credits", "unit", "instances"));
    CsvTable csv = new CsvTable(out, header.toArray(String[]::new));
    for (HourlyPoint p : s.hourly(dimension)) {
      csv.text(Cells.time(p.hour()));
      if (dimension.isPresent()) {
        csv.text(p.group());
      }
      csv.number(p.credits()).text(p.credits().unit().code()).number(p.instances()).end();
    }
    csv.flush();
  }
}
