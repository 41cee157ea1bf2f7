package dev.billingsdk.export;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.export.internal.Cells;
import dev.billingsdk.report.AgentRevenueRow;
import dev.billingsdk.report.PartnerRevenueRow;
import dev.billingsdk.report.ProjectInvoice;
import dev.billingsdk.report.ProjectInvoiceLine;
import dev.billingsdk.report.Provenance;
import dev.billingsdk.report.RevenueRow;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Finance reports as JSON documents (RFC 8259), with the rules of {@link JsonExport}: a top-level
 * {@code "schema"} naming the document's versioned shape (its JSON Schema through {@link
 * JsonExport#jsonSchema}), amounts as {@code {"amount": "12.00", "unit": "USD"}} with exact decimal
 * strings, ISO 8601 UTC times, {@code yyyy-MM} months.
 */
public final class ReportJson {
  private ReportJson() {}

  /** The {@code "schema"} of a project invoice document. */
  public static final String PROJECT_INVOICE_SCHEMA = "billingsdk.project-invoice/1";

  /**
   * The {@code "schema"} of a revenue document: {@code "kind"} is {@code true-revenue}, {@code
   * partner-revenue} or {@code agent-revenue}, and each row has the fields of its kind.
   */
  public static final String REVENUE_SCHEMA = "billingsdk.revenue/1";

  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String document(String schema, Body body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JsonExport.generator(out)) {
      g.writeStartObject();
      g.writeStringField("schema", schema);
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not throw
    }
    return out.toString();
  }

  /** The project invoice: month, zone, price per credit and its settings version, lines, totals. */
  public static String projectInvoice(ProjectInvoice invoice) {
    InvalidRequestException.requireNonNull(invoice, "invoice");
    return document(
        PROJECT_INVOICE_SCHEMA,
        g -> {
          g.writeStringField("tenant", invoice.tenant().value());
          g.writeStringField("month", Cells.month(invoice.month()));
          g.writeStringField("from", Cells.time(invoice.from()));
          g.writeStringField("to", Cells.time(invoice.to()));
          g.writeStringField("zone", invoice.zone().getId());
          g.writeNumberField("settingsVersion", invoice.settingsVersion());
          g.writeObjectFieldStart("creditPrice");
          JsonExport.amount(g, "credits", invoice.creditPrice().credits());
          JsonExport.amount(g, "money", invoice.creditPrice().money());
          g.writeEndObject();
          g.writeStringField("rounding", invoice.rounding().name());
          g.writeArrayFieldStart("lines");
          for (ProjectInvoiceLine l : invoice.lines()) {
            g.writeStartObject();
            g.writeStringField("projectId", l.projectId());
            g.writeStringField("projectName", l.projectName());
            JsonExport.amount(g, "cost", l.cost());
            JsonExport.amount(g, "credits", l.credits());
            g.writeNumberField("rows", l.rows());
            g.writeEndObject();
          }
          g.writeEndArray();
          JsonExport.amount(g, "totalCost", invoice.totalCost());
          JsonExport.amount(g, "totalCredits", invoice.totalCredits());
        });
  }

  /** True revenue rows, by month and item. */
  public static String revenue(List<RevenueRow> rows) {
    InvalidRequestException.requireNonNull(rows, "rows");
    return document(
        REVENUE_SCHEMA,
        g -> {
          g.writeStringField("kind", "true-revenue");
          g.writeArrayFieldStart("rows");
          for (RevenueRow r : rows) {
            InvalidRequestException.requireNonNull(r, "rows");
            g.writeStartObject();
            g.writeStringField("month", Cells.month(r.month()));
            g.writeStringField("item", r.item());
            common(g, r.credits(), r.revenue(), r.exactMinor().toString(), r.provenance());
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  /** Partner revenue rows, by month, partner and module, with the partner's share. */
  public static String partnerRevenue(List<PartnerRevenueRow> rows) {
    InvalidRequestException.requireNonNull(rows, "rows");
    return document(
        REVENUE_SCHEMA,
        g -> {
          g.writeStringField("kind", "partner-revenue");
          g.writeArrayFieldStart("rows");
          for (PartnerRevenueRow r : rows) {
            InvalidRequestException.requireNonNull(r, "rows");
            g.writeStartObject();
            g.writeStringField("month", Cells.month(r.month()));
            g.writeStringField("partner", r.partner());
            g.writeStringField("module", r.module());
            common(g, r.credits(), r.revenue(), r.exactMinor().toString(), r.provenance());
            g.writeStringField("sharePercent", Cells.decimal(r.share().value()));
            g.writeNumberField("settingsVersion", r.settingsVersion());
            JsonExport.amount(g, "partnerShare", r.partnerShare());
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  /** Agent revenue rows, by month and referring agent, with the agent's commission. */
  public static String agentRevenue(List<AgentRevenueRow> rows) {
    InvalidRequestException.requireNonNull(rows, "rows");
    return document(
        REVENUE_SCHEMA,
        g -> {
          g.writeStringField("kind", "agent-revenue");
          g.writeArrayFieldStart("rows");
          for (AgentRevenueRow r : rows) {
            InvalidRequestException.requireNonNull(r, "rows");
            g.writeStartObject();
            g.writeStringField("month", Cells.month(r.month()));
            g.writeStringField("agent", r.agent().value());
            g.writeNumberField("accounts", r.accounts());
            common(g, r.credits(), r.revenue(), r.exactMinor().toString(), r.provenance());
            g.writeStringField("sharePercent", Cells.decimal(r.share().value()));
            g.writeNumberField("settingsVersion", r.settingsVersion());
            JsonExport.amount(g, "commission", r.commission());
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  private static void common(
      JsonGenerator g,
      dev.billingsdk.money.Amount credits,
      dev.billingsdk.money.Amount revenue,
      String exactMinor,
      Provenance p)
      throws IOException {
    JsonExport.amount(g, "credits", credits);
    JsonExport.amount(g, "revenue", revenue);
    g.writeStringField("exactMinor", exactMinor);
    g.writeObjectFieldStart("provenance");
    g.writeNumberField("transactions", p.transactions());
    g.writeStringField("firstAt", Cells.time(p.firstAt()));
    g.writeStringField("lastAt", Cells.time(p.lastAt()));
    g.writeNumberField("firstSequence", p.firstSequence());
    g.writeNumberField("lastSequence", p.lastSequence());
    g.writeEndObject();
  }
}
