package dev.billingsdk.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.export.internal.Cells;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.money.Amount;
import dev.billingsdk.statement.HourlyPoint;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementLine;
import dev.billingsdk.statement.UsageRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Statements and usage summaries as JSON documents (RFC 8259, UTF-8 when written as bytes), each
 * naming its shape and version in a top-level {@code "schema"} field. The JSON Schema of each shape
 * is a resource beside this class, read with {@link #jsonSchema}: {@value #STATEMENT_SCHEMA} is
 * {@code statement-1.schema.json}, {@value #USAGE_SUMMARIES_SCHEMA} is {@code
 * usage-summaries-1.schema.json}. A new field may appear within a version; a field that changes
 * meaning or goes away makes a new version.
 *
 * <p>Values: an amount is an object {@code {"amount":"12.00","unit":"CREDIT"}} with the exact
 * decimal as a string (so no JSON parser rounds it through a double); quantities are exact decimal
 * strings; times are ISO 8601 UTC strings; months are {@code "yyyy-MM"}; an absent value is {@code
 * null}. Dimensions are objects with their names sorted. The output is indented with two spaces and
 * {@code \n} line ends, and is the same bytes for the same input.
 */
public final class JsonExport {
  private JsonExport() {}

  /** The {@code "schema"} of a statement document. */
  public static final String STATEMENT_SCHEMA = "billingsdk.statement/1";

  /** The {@code "schema"} of a usage summaries document. */
  public static final String USAGE_SUMMARIES_SCHEMA = "billingsdk.usage-summaries/1";

  private static final JsonFactory FACTORY = new JsonFactory();

  /**
   * The JSON Schema (2020-12) of a document shape, as text: {@code jsonSchema(STATEMENT_SCHEMA)}.
   * The files are also on the class path beside this class ({@code statement-1.schema.json}, {@code
   * usage-summaries-1.schema.json}); on the module path only this method reads them.
   *
   * @throws InvalidRequestException if {@code schema} is not a shape this version writes
   */
  public static String jsonSchema(String schema) {
    InvalidRequestException.requireNonNull(schema, "schema");
    String file;
    if (schema.equals(STATEMENT_SCHEMA)) {
      file = "statement-1.schema.json";
    } else if (schema.equals(USAGE_SUMMARIES_SCHEMA)) {
      file = "usage-summaries-1.schema.json";
    } else if (schema.equals(ReportJson.PROJECT_INVOICE_SCHEMA)) {
      file = "project-invoice-1.schema.json";
    } else if (schema.equals(ReportJson.REVENUE_SCHEMA)) {
      file = "revenue-1.schema.json";
    } else {
      throw new InvalidRequestException(
          "schema",
          schema,
          "must be one of "
              + List.of(
                  STATEMENT_SCHEMA,
                  USAGE_SUMMARIES_SCHEMA,
                  ReportJson.PROJECT_INVOICE_SCHEMA,
                  ReportJson.REVENUE_SCHEMA));
    }
    try (InputStream in = JsonExport.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("billing-export is missing its resource " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The statement as a JSON document (see {@link #writeStatement}). */
  public static String statement(Statement statement) {
    StringWriter out = new StringWriter();
    try {
      writeStatement(statement, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Writes the statement as a {@value #STATEMENT_SCHEMA} document: its account, month, status and
   * unit, the window, opening and closing balances, the totals (credits, charges, reversals,
   * expiries with voids and refunds), the lines, the usage rows (with instance, start and duration
   * for running-time meters: the machine-usage detail), and the hourly series.
   */
  public static void writeStatement(Statement statement, Writer out) throws IOException {
    InvalidRequestException.requireNonNull(statement, "statement");
    InvalidRequestException.requireNonNull(out, "out");
    Statement s = statement;
    try (JsonGenerator g = generator(out)) {
      g.writeStartObject();
      g.writeStringField("schema", STATEMENT_SCHEMA);
      g.writeStringField("tenant", s.tenant().value());
      g.writeStringField("account", s.account().value());
      g.writeStringField("month", Cells.month(s.month()));
      g.writeStringField("status", s.status().name());
      g.writeObjectFieldStart("unit");
      g.writeStringField("code", s.unit().code());
      g.writeNumberField("scale", s.unit().scale());
      g.writeEndObject();
      g.writeObjectFieldStart("window");
      g.writeStringField("from", Cells.time(s.window().from()));
      g.writeStringField("until", Cells.time(s.window().until()));
      g.writeEndObject();
      amount(g, "opening", s.opening());
      g.writeObjectFieldStart("totals");
      amount(g, "credits", s.credits());
      amount(g, "charges", s.charges());
      amount(g, "reversals", s.reversals());
      amount(g, "expiriesVoidsRefunds", s.expiriesAndVoids());
      g.writeEndObject();
      amount(g, "closing", s.closing());
      g.writeNumberField("transactions", s.transactions());
      optional(g, "closedAt", s.closedAt().map(Cells::time));
      g.writeArrayFieldStart("lines");
      for (StatementLine l : s.lines()) {
        g.writeStartObject();
        g.writeStringField("section", l.section().name());
        g.writeStringField("key", l.key());
        optional(g, "lateFor", l.lateFor().map(Cells::month));
        amount(g, "amount", l.amount());
        g.writeNumberField("transactions", l.transactions());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("usage");
      for (UsageRow r : s.usageRows()) {
        g.writeStartObject();
        g.writeStringField("meter", r.meter());
        g.writeStringField("period", Cells.month(r.period()));
        dimensions(g, r.dimensions());
        optional(g, "instance", r.instance());
        g.writeStringField("start", Cells.time(r.start()));
        g.writeStringField("quantity", Cells.decimal(r.quantity()));
        optional(g, "duration", r.instance().map(i -> r.duration().toString()));
        amount(g, "credits", r.credits());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("hourly");
      for (HourlyPoint p : s.hourly(Optional.empty())) {
        g.writeStartObject();
        g.writeStringField("hour", Cells.time(p.hour()));
        amount(g, "credits", p.credits());
        g.writeNumberField("instances", p.instances());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  /** The usage summary rows as a JSON document (see {@link #writeUsageSummaries}). */
  public static String usageSummaries(List<UsageSummaryRow> rows) {
    StringWriter out = new StringWriter();
    try {
      writeUsageSummaries(rows, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Writes the rows, in their order, as a {@value #USAGE_SUMMARIES_SCHEMA} document: {@code
   * {"schema": .., "rows": [{tenant, account, month, meter, dimensions, quantity, credits,
   * currency}]}}, {@code currency} being {@code null} unless the rows were converted.
   */
  public static void writeUsageSummaries(List<UsageSummaryRow> rows, Writer out)
      throws IOException {
    InvalidRequestException.requireNonNull(rows, "rows");
    InvalidRequestException.requireNonNull(out, "out");
    for (UsageSummaryRow r : rows) {
      InvalidRequestException.requireNonNull(r, "rows");
    }
    try (JsonGenerator g = generator(out)) {
      g.writeStartObject();
      g.writeStringField("schema", USAGE_SUMMARIES_SCHEMA);
      g.writeArrayFieldStart("rows");
      for (UsageSummaryRow r : rows) {
        g.writeStartObject();
        g.writeStringField("tenant", r.tenant().value());
        g.writeStringField("account", r.account().value());
        g.writeStringField(
            "month", String.format(java.util.Locale.ROOT, "%04d-%02d", r.year(), r.month()));
        g.writeStringField("meter", r.meter());
        dimensions(g, r.dimensions());
        g.writeStringField("quantity", Cells.decimal(r.quantity()));
        amount(g, "credits", r.credits());
        if (r.currency().isPresent()) {
          amount(g, "currency", r.currency().get());
        } else {
          g.writeNullField("currency");
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  static JsonGenerator generator(Writer out) throws IOException {
    JsonGenerator g = FACTORY.createGenerator(out);
    // Not the JVM's line separator: the same document on every platform.
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    g.setPrettyPrinter(
        new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter));
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return g;
  }

  static void amount(JsonGenerator g, String field, Amount amount) throws IOException {
    g.writeObjectFieldStart(field);
    g.writeStringField("amount", Cells.decimal(amount));
    g.writeStringField("unit", amount.unit().code());
    g.writeEndObject();
  }

  private static void optional(JsonGenerator g, String field, Optional<String> value)
      throws IOException {
    if (value.isPresent()) {
      g.writeStringField(field, value.get());
    } else {
      g.writeNullField(field);
    }
  }

  private static void dimensions(JsonGenerator g, Map<String, String> dimensions)
      throws IOException {
    g.writeObjectFieldStart("dimensions");
    for (Map.Entry<String, String> d : Cells.sorted(dimensions).entrySet()) {
      g.writeStringField(d.getKey(), d.getValue());
    }
    g.writeEndObject();
  }
}
