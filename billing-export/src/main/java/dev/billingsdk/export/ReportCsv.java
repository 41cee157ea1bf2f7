package dev.billingsdk.export;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.export.internal.Cells;
import dev.billingsdk.export.internal.CsvTable;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Rational;
import dev.billingsdk.report.AgentRevenueRow;
import dev.billingsdk.report.PartnerRevenueRow;
import dev.billingsdk.report.ProjectInvoice;
import dev.billingsdk.report.ProjectInvoiceLine;
import dev.billingsdk.report.Provenance;
import dev.billingsdk.report.RevenueRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Finance reports as CSV for accounting software, with the same rules as {@link CsvExport}: RFC
 * 4180 through Apache Commons CSV, exact decimal amounts with their unit code in the next column,
 * ISO 8601 UTC times, {@code yyyy-MM} months, and text cells a spreadsheet would execute
 * neutralised with a leading single quote. Revenue rows carry their provenance (how many ledger
 * transactions, their first and last recorded times and sequences), so every figure can be traced
 * to the ledger; the exact value before the report's one rounding is its {@code exact_minor} (minor
 * units, {@code n} or {@code n/d}).
 */
public final class ReportCsv {
  private ReportCsv() {}

  /** The project invoice's lines (the invoice's totals are their sums; no total row is added). */
  public static String projectInvoice(ProjectInvoice invoice) {
    InvalidRequestException.requireNonNull(invoice, "invoice");
    return text(
        out -> {
          CsvTable csv =
              new CsvTable(
                  out,
                  "tenant",
                  "month",
                  "project_id",
                  "project_name",
                  "cost",
                  "currency",
                  "credits",
                  "credit_unit",
                  "rows",
                  "settings_version",
                  "rounding");
          for (ProjectInvoiceLine l : invoice.lines()) {
            csv.text(invoice.tenant().value())
                .text(Cells.month(invoice.month()))
                .text(l.projectId())
                .text(l.projectName())
                .number(l.cost())
                .text(l.cost().unit().code())
                .number(l.credits())
                .text(l.credits().unit().code())
                .number(l.rows())
                .number(invoice.settingsVersion())
                .text(invoice.rounding().name())
                .end();
          }
          csv.flush();
        });
  }

  /** True revenue rows: month, item (module or meter), credits consumed, revenue. */
  public static String revenue(List<RevenueRow> rows) {
    InvalidRequestException.requireNonNull(rows, "rows");
    return text(
        out -> {
          CsvTable csv =
              new CsvTable(
                  out,
                  header(
                      "month",
                      "item",
                      "credits",
                      "credit_unit",
                      "revenue",
                      "currency",
                      "exact_minor"));
          for (RevenueRow r : rows) {
            InvalidRequestException.requireNonNull(r, "rows");
            csv.text(Cells.month(r.month())).text(r.item());
            revenueCells(csv, r.credits(), r.revenue(), r.exactMinor());
            provenance(csv, r.provenance());
          }
          csv.flush();
        });
  }

  /** Partner revenue rows: the partner's modules, their true revenue and the partner's share. */
  public static String partnerRevenue(List<PartnerRevenueRow> rows) {
    InvalidRequestException.requireNonNull(rows, "rows");
    return text(
        out -> {
          CsvTable csv =
              new CsvTable(
                  out,
                  header(
                      "month",
                      "partner",
                      "module",
                      "credits",
                      "credit_unit",
                      "revenue",
                      "currency",
                      "exact_minor",
                      "share_percent",
                      "settings_version",
                      "partner_share"));
          for (PartnerRevenueRow r : rows) {
            InvalidRequestException.requireNonNull(r, "rows");
            csv.text(Cells.month(r.month())).text(r.partner()).text(r.module());
            revenueCells(csv, r.credits(), r.revenue(), r.exactMinor())
                .number(r.share().value())
                .number(r.settingsVersion())
                .number(r.partnerShare());
            provenance(csv, r.provenance());
          }
          csv.flush();
        });
  }

  /** Agent revenue rows: the referring agent, the revenue of the accounts referred, commission. */
  public static String agentRevenue(List<AgentRevenueRow> rows) {
    InvalidRequestException.requireNonNull(rows, "rows");
    return text(
        out -> {
          CsvTable csv =
              new CsvTable(
                  out,
                  header(
                      "month",
                      "agent",
                      "accounts",
                      "credits",
                      "credit_unit",
                      "revenue",
                      "currency",
                      "exact_minor",
                      "share_percent",
                      "settings_version",
                      "commission"));
          for (AgentRevenueRow r : rows) {
            InvalidRequestException.requireNonNull(r, "rows");
            csv.text(Cells.month(r.month())).text(r.agent().value()).number(r.accounts());
            revenueCells(csv, r.credits(), r.revenue(), r.exactMinor())
                .number(r.share().value())
                .number(r.settingsVersion())
                .number(r.commission());
            provenance(csv, r.provenance());
          }
          csv.flush();
        });
  }

  /** The cells every revenue row has: credits, credit_unit, revenue, currency, exact_minor. */
  private static CsvTable revenueCells(
      CsvTable csv, Amount credits, Amount revenue, Rational exactMinor) {
    return csv.number(credits)
        .text(credits.unit().code())
        .number(revenue)
        .text(revenue.unit().code())
        .text(exactMinor.toString());
  }

  private static String[] header(String... columns) {
    String[] all = new String[columns.length + 5];
    System.arraycopy(columns, 0, all, 0, columns.length);
    all[columns.length] = "transactions";
    all[columns.length + 1] = "first_at";
    all[columns.length + 2] = "last_at";
    all[columns.length + 3] = "first_sequence";
    all[columns.length + 4] = "last_sequence";
    return all;
  }

  private static void provenance(CsvTable csv, Provenance p) throws IOException {
    csv.number(p.transactions())
        .text(Cells.time(p.firstAt()))
        .text(Cells.time(p.lastAt()))
        .number(p.firstSequence())
        .number(p.lastSequence())
        .end();
  }

  @FunctionalInterface
  private interface Table {
    void write(Appendable out) throws IOException;
  }

  private static String text(Table table) {
    StringBuilder out = new StringBuilder();
    try {
      table.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringBuilder does not throw
    }
    return out.toString();
  }
}
