package dev.billingsdk.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Rational;
import dev.billingsdk.report.AgentRevenueRow;
import dev.billingsdk.report.PartnerRevenueRow;
import dev.billingsdk.report.ProjectInvoice;
import dev.billingsdk.report.ProjectInvoiceLine;
import dev.billingsdk.report.Provenance;
import dev.billingsdk.report.RevenueRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The finance reports as CSV and JSON: a project invoice worked by hand (seed 000, 100 credits = 1
 * USD), revenue rows with their provenance; a formula in a project name or module is neutralised;
 * the JSON documents satisfy their schemas.
 */
class ReportExportTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final YearMonth MARCH = YearMonth.of(2026, 3);
  static final Provenance PROVENANCE =
      new Provenance(
          3, Instant.parse("2026-03-02T10:00:00Z"), Instant.parse("2026-03-30T10:00:00Z"), 11, 42);

  static ProjectInvoice invoice() {
    List<ProjectInvoiceLine> lines =
        List.of(
            new ProjectInvoiceLine(
                "proj-a", "Jupyter hub", Amount.of(USD, "12.34"), Amount.of(CREDIT, 1234), 3),
            new ProjectInvoiceLine(
                "proj-b",
                "=HYPERLINK(\"http://x\")",
                Amount.of(USD, "0.50"),
                Amount.of(CREDIT, 50),
                1));
    return new ProjectInvoice(
        TenantId.of("acme"),
        MARCH,
        Instant.parse("2026-03-01T00:00:00Z"),
        Instant.parse("2026-04-01T00:00:00Z"),
        ZoneOffset.UTC,
        2,
        CreditPrice.of(Amount.of(CREDIT, 100), Amount.of(USD, 1)),
        RoundingMode.HALF_UP,
        lines,
        Amount.of(USD, "12.84"),
        Amount.of(CREDIT, 1284));
  }

  @Test
  void aProjectInvoiceIsOneCsvLinePerProjectWithItsCostAndCredits() {
    String csv = ReportCsv.projectInvoice(invoice());
    assertThat(csv.split("\r\n"))
        .containsExactly(
            "tenant,month,project_id,project_name,cost,currency,credits,credit_unit,rows,settings_version,rounding",
            "acme,2026-03,proj-a,Jupyter hub,12.34,USD,1234,CREDIT,3,2,HALF_UP",
            "acme,2026-03,proj-b,\"'=HYPERLINK(\"\"http://x\"\")\",0.50,USD,50,CREDIT,1,2,HALF_UP");
  }

  @Test
  void aProjectInvoiceDocumentSatisfiesItsSchemaAndItsTotalsAreTheLines() throws Exception {
    JsonNode doc = JSON.readTree(ReportJson.projectInvoice(invoice()));
    assertThat(SchemaCheck.load(ReportJson.PROJECT_INVOICE_SCHEMA).problems(doc)).isEmpty();
    assertThat(doc.at("/totalCost/amount").asText()).isEqualTo("12.84");
    assertThat(doc.at("/lines/1/projectName").asText())
        .as("JSON carries the text as it is; only CSV cells are neutralised")
        .isEqualTo("=HYPERLINK(\"http://x\")");
    assertThat(doc.at("/creditPrice/money/unit").asText()).isEqualTo("USD");
  }

  @Test
  void revenueRowsCarryTheirExactValueAndProvenance() throws Exception {
    RevenueRow row =
        new RevenueRow(
            MARCH,
            "gpu-hours",
            Amount.of(CREDIT, 100),
            Rational.of(java.math.BigInteger.valueOf(100), java.math.BigInteger.valueOf(3)),
            Amount.of(USD, "0.33"),
            PROVENANCE);
    PartnerRevenueRow partner =
        new PartnerRevenueRow(
            MARCH,
            "@partner",
            "-module",
            Amount.of(CREDIT, 500),
            Rational.of(500),
            Amount.of(USD, "5.00"),
            new Percentage(new BigDecimal("30")),
            4,
            Amount.of(USD, "1.50"),
            PROVENANCE);
    AgentRevenueRow agent =
        new AgentRevenueRow(
            MARCH,
            AccountId.of("agent-1"),
            2,
            Amount.of(CREDIT, 500),
            Rational.of(500),
            Amount.of(USD, "5.00"),
            new Percentage(new BigDecimal("12.5")),
            4,
            Amount.of(USD, "0.63"),
            PROVENANCE);

    assertThat(ReportCsv.revenue(List.of(row)).split("\r\n"))
        .containsExactly(
            "month,item,credits,credit_unit,revenue,currency,exact_minor,transactions,first_at,last_at,first_sequence,last_sequence",
            "2026-03,gpu-hours,100,CREDIT,0.33,USD,100/3,3,2026-03-02T10:00:00Z,2026-03-30T10:00:00Z,11,42");
    assertThat(ReportCsv.partnerRevenue(List.of(partner)).split("\r\n")[1])
        .isEqualTo(
            "2026-03,'@partner,'-module,500,CREDIT,5.00,USD,500,30,4,1.50,3,2026-03-02T10:00:00Z,2026-03-30T10:00:00Z,11,42");
    assertThat(ReportCsv.agentRevenue(List.of(agent)).split("\r\n")[1])
        .startsWith("2026-03,agent-1,2,500,CREDIT,5.00,USD,500,12.5,4,0.63,3,");

    SchemaCheck schema = SchemaCheck.load(ReportJson.REVENUE_SCHEMA);
    for (String doc :
        List.of(
            ReportJson.revenue(List.of(row)),
            ReportJson.partnerRevenue(List.of(partner)),
            ReportJson.agentRevenue(List.of(agent)))) {
      assertThat(schema.problems(JSON.readTree(doc))).isEmpty();
    }
    JsonNode partnerDoc = JSON.readTree(ReportJson.partnerRevenue(List.of(partner)));
    assertThat(partnerDoc.at("/kind").asText()).isEqualTo("partner-revenue");
    assertThat(partnerDoc.at("/rows/0/partnerShare/amount").asText()).isEqualTo("1.50");
    assertThat(partnerDoc.at("/rows/0/provenance/lastSequence").asLong()).isEqualTo(42);
    assertThat(JSON.readTree(ReportJson.revenue(List.of(row))).at("/rows/0/exactMinor").asText())
        .isEqualTo("100/3");
  }
}
