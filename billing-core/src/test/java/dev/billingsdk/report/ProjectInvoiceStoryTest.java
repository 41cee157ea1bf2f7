package dev.billingsdk.report;

import static dev.billingsdk.report.CostWorld.ACME;
import static dev.billingsdk.report.CostWorld.CREDIT;
import static dev.billingsdk.report.CostWorld.FINANCE;
import static dev.billingsdk.report.CostWorld.USD;
import static dev.billingsdk.report.CostWorld.price;
import static dev.billingsdk.report.CostWorld.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.RoundingRequiredException;
import dev.billingsdk.report.ProjectCostTotals.ProjectTotal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The finance guide's "Project Costs" and "Project Invoices" (seed 000, sections 3.4 and 3.6), on a
 * story clock, every number worked by hand in the comments.
 */
class ProjectInvoiceStoryTest {
  static final YearMonth JAN = YearMonth.of(2026, 1);
  static final YearMonth FEB = YearMonth.of(2026, 2);
  static final YearMonth MAR = YearMonth.of(2026, 3);
  static final YearMonth APR = YearMonth.of(2026, 4);

  static Amount usd(String v) {
    return Amount.of(USD, v);
  }

  static Amount credits(long n) {
    return Amount.of(CREDIT, n);
  }

  final CostWorld w = new CostWorld(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  @DisplayName("January at 100 credits = 1 USD, February at 100 credits = 3 USD: lines add up")
  void monthlyInvoicesAtThePriceInForce() {
    w.savePrice(price(100, "1.00")); // version 1, from 1 January
    ProjectCostImport first =
        w.importRows(
            row("r1", "ml-research", "12.34", "2026-01-05T10:00:00Z"),
            row("r2", "ml-research", "7.66", "2026-01-20T10:00:00Z"),
            CostWorld.row("r3", "web-shop", usd("3.21"), "2026-01-07T09:00:00Z", "webapp"),
            // A promotional credit of the cloud provider: negative cost.
            CostWorld.row("r4", "web-shop", usd("-0.50"), "2026-01-31T23:00:00Z", "webapp"),
            CostWorld.row("r5", "data-lake", usd("0.99"), "2026-01-15T00:00:00Z", "storage"),
            // The first instant of February belongs to February.
            row("r6", "ml-research", "1.00", "2026-02-01T00:00:00Z"),
            CostWorld.row("r7", "web-shop", usd("0.10"), "2026-02-10T08:00:00Z", "webapp"),
            CostWorld.row("r8", "data-lake", usd("0.01"), "2026-02-11T08:00:00Z", "storage"));
    assertThat(first.imported()).containsExactly("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8");
    assertThat(first.duplicates()).isEmpty();

    // Finance raises the price on 10 February: 100 credits now cost 3 USD (version 2).
    w.clock.set(Instant.parse("2026-02-10T12:00:00Z"));
    EconomySettings raised =
        EconomySettings.builder(w.billing.economy().settings(ACME).orElseThrow().settings())
            .creditPrice(price(100, "3.00"))
            .build();
    w.saveSettings(raised);
    w.clock.set(Instant.parse("2026-03-02T09:00:00Z"));

    // January, at version 1 (in force at the end of January):
    //   data-lake    0.99 USD ->   99 credits
    //   ml-research 12.34 + 7.66 = 20.00 USD -> 2000 credits
    //   web-shop     3.21 - 0.50 =  2.71 USD ->  271 credits
    //   total       23.70 USD -> 2370 credits
    ProjectInvoice jan = w.invoice(JAN, RoundingMode.HALF_UP);
    assertThat(jan.settingsVersion()).isEqualTo(1);
    assertThat(jan.from()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(jan.to()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(jan.lines())
        .containsExactly(
            new ProjectInvoiceLine("data-lake", "DATA-LAKE", usd("0.99"), credits(99), 1),
            new ProjectInvoiceLine("ml-research", "ML-RESEARCH", usd("20.00"), credits(2000), 2),
            new ProjectInvoiceLine("web-shop", "WEB-SHOP", usd("2.71"), credits(271), 2));
    assertThat(jan.totalCost()).isEqualTo(usd("23.70"));
    assertThat(jan.totalCredits()).isEqualTo(credits(2370));

    // February, at version 2 (100 credits = 3 USD, so a cent is 1/3 credit), HALF_UP per line:
    //   data-lake    0.01 USD ->  0.33 ->  0 credits
    //   ml-research  1.00 USD -> 33.33 -> 33 credits
    //   web-shop     0.10 USD ->  3.33 ->  3 credits
    //   total        1.11 USD -> 36 credits: the sum of the lines as shown. Converting 1.11 USD
    //   in one piece would give 37, a total no line adds up to. Peers shipped exactly that
    //   mismatch: https://github.com/Invoice-Generator/invoice-generator-api/issues/64 (total
    //   rounded apart from the rounded lines) and the "1.14 + 2.14 = 3.29" case discussed in
    //   https://github.com/msupply-foundation/open-msupply/pull/11219.
    ProjectInvoice feb = w.invoice(FEB, RoundingMode.HALF_UP);
    assertThat(feb.settingsVersion()).isEqualTo(2);
    assertThat(feb.creditPrice()).isEqualTo(price(100, "3.00"));
    assertThat(feb.lines())
        .extracting(ProjectInvoiceLine::projectId, ProjectInvoiceLine::cost, l -> l.credits())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("data-lake", usd("0.01"), credits(0)),
            org.assertj.core.groups.Tuple.tuple("ml-research", usd("1.00"), credits(33)),
            org.assertj.core.groups.Tuple.tuple("web-shop", usd("0.10"), credits(3)));
    assertThat(feb.totalCost()).isEqualTo(usd("1.11"));
    assertThat(feb.totalCredits()).isEqualTo(credits(36));

    // The mode is the caller's: UP gives 1 + 34 + 4 = 39; UNNECESSARY refuses to round.
    assertThat(w.invoice(FEB, RoundingMode.UP).totalCredits()).isEqualTo(credits(39));
    assertThatThrownBy(() -> w.invoice(FEB, RoundingMode.UNNECESSARY))
        .isInstanceOf(RoundingRequiredException.class);

    // The export is re-sent whole: every row is a duplicate and nothing changes.
    ProjectCostImport again =
        w.importRows(
            row("r1", "ml-research", "12.34", "2026-01-05T10:00:00Z"),
            row("r6", "ml-research", "1.00", "2026-02-01T00:00:00Z"));
    assertThat(again.imported()).isEmpty();
    assertThat(again.duplicates()).containsExactly("r1", "r6");
    assertThat(w.invoice(JAN, RoundingMode.HALF_UP)).isEqualTo(jan);
  }

  @Test
  @DisplayName("Project Costs: a date range, a module filter, and totals to the cent")
  void costsByDateRangeAndModule() {
    w.savePrice(price(100, "1.00"));
    w.importRows(
        row("a", "ml-research", "12.34", "2026-01-05T10:00:00Z"),
        row("b", "ml-research", "7.66", "2026-01-20T10:00:00Z"),
        CostWorld.row("c", "web-shop", usd("3.21"), "2026-01-07T09:00:00Z", "webapp"),
        row("d", "web-shop", "0.05", "2026-01-08T09:00:00Z"),
        CostWorld.row(
            "e", "data-lake", Amount.of(CostWorld.EUR, "4.00"), "2026-01-09T00:00:00Z", "x"));
    ProjectCostQuery january =
        ProjectCostQuery.between(
            ACME, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"));

    ProjectCostTotals all = w.costs().totals(january, FINANCE);
    // Currencies are never added: 4.00 EUR stays apart from 12.34 + 7.66 + 3.21 + 0.05 = 23.26 USD.
    assertThat(all.byCurrency()).containsExactly(Amount.of(CostWorld.EUR, "4.00"), usd("23.26"));
    assertThat(all.rows()).isEqualTo(5);

    // "Filter by module": the jupyter rows only, across projects.
    ProjectCostTotals jupyter = w.costs().totals(january.withLabel("module", "jupyter"), FINANCE);
    assertThat(jupyter.projects())
        .containsExactly(
            new ProjectTotal("ml-research", "ML-RESEARCH", usd("20.00"), 2),
            new ProjectTotal("web-shop", "WEB-SHOP", usd("0.05"), 1));
    assertThat(w.costs().rows(january.withLabel("module", "jupyter"), FINANCE))
        .extracting(ProjectCostRow::rowId)
        .containsExactly("a", "d", "b")
        .doesNotContain("c");
    // The range is half-open on usage start: [5 Jan 10:00, 20 Jan 10:00) holds a, c, d, e.
    assertThat(
            w.costs()
                .rows(
                    ProjectCostQuery.between(
                        ACME,
                        Instant.parse("2026-01-05T10:00:00Z"),
                        Instant.parse("2026-01-20T10:00:00Z")),
                    FINANCE))
        .extracting(ProjectCostRow::rowId)
        .containsExactly("a", "c", "d", "e");
  }

  @Test
  @DisplayName("The month is the settings' calendar month: a row at midnight Paris is April's")
  void theMonthBoundaryIsInTheSettingsZone() {
    w.saveSettings(
        EconomySettings.builder(price(100, "1.00"))
            .calendarZone(ZoneId.of("Europe/Paris"))
            .build());
    w.importRows(
        // 23:59:59 on 31 March in Paris (UTC+2 since 29 March): March.
        row("last-of-march", "p", "1.00", "2026-03-31T21:59:59Z"),
        // 00:00 on 1 April in Paris: April, although it is still 31 March in UTC.
        row("first-of-april", "p", "2.00", "2026-03-31T22:00:00Z"));
    w.clock.set(Instant.parse("2026-05-01T00:00:00Z"));

    ProjectInvoice march = w.invoice(MAR, RoundingMode.HALF_EVEN);
    assertThat(march.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(march.to()).isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
    assertThat(march.totalCost()).isEqualTo(usd("1.00"));
    assertThat(w.invoice(APR, RoundingMode.HALF_EVEN).totalCost()).isEqualTo(usd("2.00"));
  }

  @Test
  @DisplayName("With the default UTC zone both rows are March's")
  void utcByDefault() {
    w.savePrice(price(100, "1.00"));
    w.importRows(
        row("a", "p", "1.00", "2026-03-31T21:59:59Z"),
        row("b", "p", "2.00", "2026-03-31T23:59:59Z"));
    assertThat(w.invoice(MAR, RoundingMode.HALF_EVEN).totalCost()).isEqualTo(usd("3.00"));
    assertThat(w.invoice(APR, RoundingMode.HALF_EVEN).lines()).isEmpty();
  }

  @Test
  @DisplayName("A price saved after the month ended does not reprice it; one saved before does")
  void thePriceInForceAtTheEndOfTheMonth() {
    w.savePrice(price(100, "1.00"));
    w.importRows(row("a", "p", "1.00", "2026-01-10T00:00:00Z"));
    // Saved on the last second of January: in force at its end.
    w.clock.set(Instant.parse("2026-01-31T23:59:59Z"));
    w.saveSettings(
        EconomySettings.builder(w.billing.economy().settings(ACME).orElseThrow().settings())
            .creditPrice(price(200, "1.00"))
            .build());
    // Saved in February: January keeps version 2.
    w.clock.advance(Duration.ofSeconds(1));
    w.saveSettings(
        EconomySettings.builder(w.billing.economy().settings(ACME).orElseThrow().settings())
            .creditPrice(price(300, "1.00"))
            .build());
    ProjectInvoice jan = w.invoice(JAN, RoundingMode.HALF_UP);
    assertThat(jan.settingsVersion()).isEqualTo(2);
    assertThat(jan.totalCredits()).isEqualTo(credits(200));
  }

  @Test
  @DisplayName("A renamed project keeps one line, named as on its latest row")
  void aRenamedProjectIsOneLine() {
    w.savePrice(price(100, "1.00"));
    Instant t = Instant.parse("2026-01-10T00:00:00Z");
    ProjectCostRow old =
        ProjectCostRow.builder("old")
            .service("BigQuery")
            .sku("Analysis")
            .project("p-1", "Old name")
            .cost(usd("1.00"))
            .usage(t, t)
            .build();
    ProjectCostRow renamed =
        ProjectCostRow.builder("new")
            .service("BigQuery")
            .sku("Analysis")
            .project("p-1", "New name")
            .cost(usd("2.00"))
            .usage(t.plusSeconds(60), t.plusSeconds(60))
            .build();
    w.importRows(renamed, old);
    assertThat(w.invoice(JAN, RoundingMode.HALF_UP).lines())
        .containsExactly(new ProjectInvoiceLine("p-1", "New name", usd("3.00"), credits(300), 2));
    assertThat(List.of(old.labels(), renamed.labels())).allMatch(java.util.Map::isEmpty);
  }
}
