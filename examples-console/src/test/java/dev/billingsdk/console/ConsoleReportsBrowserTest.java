package dev.billingsdk.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.export.ReportCsv;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.report.PartnerRevenueRow;
import dev.billingsdk.report.ProjectCostQuery;
import dev.billingsdk.report.ProjectInvoice;
import dev.billingsdk.report.ProjectInvoiceRequest;
import dev.billingsdk.report.RevenueQuery;
import dev.billingsdk.statement.BalanceQuery;
import dev.billingsdk.statement.BalanceRow;
import dev.billingsdk.statement.TransactionQuery;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's report tabs in a real headless Chromium: finance reads project costs (filtered by
 * module), the revenue reports and the project invoice (and downloads it); a user lists their
 * transactions with a preset and their balances (and downloads them); a partner reads the revenue
 * of its own modules only; and a user is refused another user's transactions and balances. Every
 * figure the pages show is compared with the library's own answer to the same question.
 */
class ConsoleReportsBrowserTest extends ConsoleInBrowser {
  private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
  private static final Actor FIONA = Actor.of("fiona", Role.FINANCE);
  private static final Actor URSULA = Actor.of("ursula", Role.USER);

  @Override
  String database() {
    return "reports-browser";
  }

  private static ProjectCostQuery november() {
    return ProjectCostQuery.between(
        Directory.ACME,
        NOVEMBER.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
        NOVEMBER.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  private static RevenueQuery revenue(Actor actor) {
    return RevenueQuery.builder(Directory.ACME, actor)
        .month(NOVEMBER)
        .zone(ZoneOffset.UTC)
        .rounding(RoundingMode.HALF_EVEN)
        .build();
  }

  @Test
  @Order(1)
  void financeFiltersProjectCostsByModule() throws Exception {
    browser.signIn("fiona");
    browser.clickAndLoad("nav.tabs a[href='/billing/project-costs']");
    assertThat(browser.path()).isEqualTo("/billing/project-costs");
    // The demo's month by default: every project, and the library's total.
    String all = billing.projectCosts().totals(november(), FIONA).byCurrency().get(0).toString();
    assertThat(browser.text("#totals .total")).isEqualTo(all);
    assertThat(browser.all("#rows tbody tr")).hasSize(4);

    new Select(browser.find("#module")).selectByValue("jupyter");
    browser.clickAndLoad("#apply");
    String jupyter =
        billing
            .projectCosts()
            .totals(november().withLabel("module", "jupyter"), FIONA)
            .byCurrency()
            .get(0)
            .toString();
    assertThat(jupyter).isNotEqualTo(all);
    assertThat(browser.text("#totals .total")).isEqualTo(jupyter);
    assertThat(browser.all("#rows tbody tr")).hasSize(2);
    assertThat(browser.text("#rows")).contains("module=jupyter").doesNotContain("module=rstudio");
    assertThat(browser.all("#total-proj-genomics")).hasSize(1);
    assertThat(browser.all("#total-proj-survey")).isEmpty();
    browser.screenshot("finance-project-costs");
    browser.assertCleanSince("project costs");
  }

  @Test
  @Order(2)
  void financeReadsTheRevenueReportsWithThePartnersRow() throws Exception {
    browser.signIn("fiona");
    browser.clickAndLoad("nav.tabs a[href='/billing/revenue']");
    assertThat(browser.find("#month").getAttribute("value")).isEqualTo("2026-11");
    PartnerRevenueRow pat =
        billing.revenue().partnerRevenue(revenue(FIONA)).stream()
            .filter(r -> r.partner().equals("pat"))
            .findFirst()
            .orElseThrow();
    assertThat(pat.module()).isEqualTo("jupyter");
    assertThat(browser.text("#partner-pat-jupyter"))
        .contains("pat")
        .contains("jupyter")
        .contains(pat.revenue().toString())
        .contains(pat.partnerShare().toString());
    assertThat(browser.all("#partner-quinn-rstudio")).hasSize(1);
    assertThat(browser.all("#true-revenue tbody tr"))
        .hasSize(billing.revenue().trueRevenue(revenue(FIONA)).size());
    // Ursula referred Victor, whose paid usage earns Ursula, the agent, her commission.
    var agents = billing.revenue().agentRevenue(revenue(FIONA));
    assertThat(agents)
        .singleElement()
        .satisfies(a -> assertThat(a.agent().value()).isEqualTo("ursula"));
    assertThat(browser.text("#agent-revenue tbody"))
        .contains("ursula")
        .contains(agents.get(0).commission().toString());

    String csv = fetch(browser.find("#download-partner").getAttribute("href"));
    assertThat(csv)
        .isEqualTo(ReportCsv.partnerRevenue(billing.revenue().partnerRevenue(revenue(FIONA))));
    browser.screenshot("finance-revenue-reports");
    browser.assertCleanSince("revenue reports");
  }

  @Test
  @Order(3)
  void financeReadsAndDownloadsTheProjectInvoice() throws Exception {
    browser.signIn("fiona");
    browser.clickAndLoad("nav.tabs a[href='/billing/invoices']");
    ProjectInvoice invoice =
        billing
            .projectCosts()
            .invoice(
                ProjectInvoiceRequest.of(Directory.ACME, NOVEMBER, RoundingMode.HALF_EVEN, FIONA));
    assertThat(browser.all("#lines tbody tr")).hasSize(invoice.lines().size()).hasSize(4);
    assertThat(browser.text("#line-proj-genomics"))
        .contains("Genomics pipeline")
        .contains("proj-genomics")
        .contains(
            invoice.lines().stream()
                .filter(l -> l.projectId().equals("proj-genomics"))
                .findFirst()
                .orElseThrow()
                .credits()
                .toString());
    assertThat(browser.text("#total-cost")).isEqualTo(invoice.totalCost().toString());
    assertThat(browser.text("#total-credits")).isEqualTo(invoice.totalCredits().toString());
    browser.screenshot("finance-project-invoices");

    String csv = fetch(browser.find("#download-csv").getAttribute("href"));
    assertThat(csv.lines().findFirst().orElseThrow())
        .isEqualTo(
            "tenant,month,project_id,project_name,cost,currency,credits,credit_unit,rows,"
                + "settings_version,rounding");
    assertThat(csv).contains("proj-genomics").contains("proj-website");
    browser.assertCleanSince("project invoices");
  }

  @Test
  @Order(4)
  void aUserListsTheirTransactionsWithAPreset() throws Exception {
    browser.signIn("ursula");
    browser.clickAndLoad("nav.tabs a[href='/transactions']");
    assertThat(new Select(browser.find("#account")).getOptions())
        .extracting(WebElement::getText)
        .containsExactly("All my licences", "ursula");
    assertThat(browser.all("#transactions tbody tr")).isNotEmpty();
    assertThat(licences("#transactions")).containsOnly("ursula");

    // The last 7 days, counted back from the console's clock (2026-12-04T10:00Z) by the library.
    browser.clickAndLoad("#preset-7d");
    List<LedgerTransaction> week =
        billing
            .statements()
            .transactions(TransactionQuery.builder(Directory.ACME, URSULA).last7Days().build())
            .transactions();
    assertThat(week).isNotEmpty();
    assertThat(browser.all("#transactions tbody tr")).hasSize(week.size());
    Instant weekAgo = Instant.parse(ConsoleApp.NOW).minus(java.time.Duration.ofDays(7));
    for (WebElement time : browser.all("#transactions td.time")) {
      assertThat(Instant.parse(time.getText())).isAfterOrEqualTo(weekAgo);
    }
    assertThat(browser.find("#preset-7d").getAttribute("class")).contains("active");
    browser.screenshot("user-transactions");

    // Nothing happened in the last 24 hours of the demo.
    browser.clickAndLoad("#preset-24h");
    assertThat(browser.all("#transactions tbody tr")).isEmpty();
    assertThat(browser.text("#no-transactions")).contains("No transactions");
    browser.assertCleanSince("transactions");
  }

  @Test
  @Order(5)
  void aUserReadsTheirBalancesDownloadsThemAndFollowsTheShortcuts() throws Exception {
    browser.signIn("ursula");
    browser.clickAndLoad("nav.tabs a[href='/balances']");
    List<BalanceRow> rows =
        billing
            .statements()
            .balances(
                BalanceQuery.builder(Directory.ACME, URSULA, NOVEMBER, NOVEMBER.plusMonths(1))
                    .build())
            .rows();
    assertThat(rows).hasSize(2);
    assertThat(browser.all("#balances tbody tr")).hasSize(2);
    assertThat(licences("#balances")).containsOnly("ursula");
    BalanceRow nov = rows.get(0);
    assertThat(browser.text("#balance-ursula-2026-11"))
        .contains("closed")
        .contains(nov.start().toString())
        .contains(nov.credits().toString())
        .contains(nov.charges().toString());
    assertThat(browser.text("#balance-ursula-2026-11 .ending")).isEqualTo(nov.ending().toString());
    browser.screenshot("user-balances");

    String csv = fetch(browser.find("#download-csv").getAttribute("href"));
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0))
        .startsWith("account,month,status,start,credits,charges,expired,ending");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1))
        .startsWith(
            "ursula,2026-11,CLOSED,"
                + nov.start().toDecimal().toPlainString()
                + ","
                + nov.credits().toDecimal().toPlainString());
    assertThat(csv).doesNotContain("victor");
    browser.assertCleanSince("balances");

    // The row's shortcuts: its statement, and its month's transactions.
    browser.clickAndLoad("#balance-ursula-2026-11 a.to-statement");
    assertThat(browser.path()).isEqualTo("/statement");
    assertThat(browser.text("#closing")).isEqualTo(nov.ending().toString());
    browser.driver.navigate().back();
    browser.clickAndLoad("#balance-ursula-2026-11 a.to-transactions");
    assertThat(browser.path()).isEqualTo("/transactions");
    assertThat(browser.find("#from").getAttribute("value")).startsWith("2026-11-01T00:00");
    assertThat(browser.all("#transactions tbody tr")).isNotEmpty();
    for (WebElement time : browser.all("#transactions td.time")) {
      assertThat(time.getText()).startsWith("2026-11-");
    }
    browser.assertCleanSince("balance shortcuts");
  }

  @Test
  @Order(6)
  void aPartnerSeesTheRevenueOfItsOwnModuleOnly() throws Exception {
    browser.signIn("pat");
    assertThat(browser.tabs())
        .containsExactly("Statement", "Transactions", "Balances", "Partner Revenue", "Buy credits");
    browser.clickAndLoad("nav.tabs a[href='/partner/revenue']");
    assertThat(browser.all("#partner-revenue tbody tr")).isNotEmpty();
    assertThat(browser.all("#module-jupyter")).hasSize(1);
    assertThat(browser.all("#module-rstudio")).isEmpty();
    assertThat(browser.text("#partner-revenue")).doesNotContain("rstudio");
    String csv = fetch(browser.find("#download-csv").getAttribute("href"));
    assertThat(csv).contains("jupyter").doesNotContain("rstudio").doesNotContain("quinn");
    browser.screenshot("partner-partner-revenue");
    browser.assertCleanSince("partner revenue");
  }

  @Test
  @Order(7)
  void aUserCannotSeeAnotherUsersTransactionsOrBalances() throws Exception {
    browser.signIn("ursula");
    // The library refuses a licence the user does not hold; nothing of it is shown.
    browser.open("/transactions?account=victor");
    assertThat(browser.text("#refused")).isEqualTo("Not allowed");
    assertThat(browser.all("#transactions")).isEmpty();
    assertThat(browser.driver.getPageSource()).doesNotContain("victor");
    browser.open("/balances?account=victor");
    assertThat(browser.text("#refused")).isEqualTo("Not allowed");
    assertThat(browser.driver.getPageSource()).doesNotContain("victor");
    browser.screenshot("user-refused-balances");
    assertThat(status("/balances/csv?account=victor&from=2026-11&to=2026-12")).isEqualTo(403);
    assertThat(status("/transactions?account=victor&preset=30d")).isEqualTo(403);
    // Without a licence named, the library lists the user's own only.
    browser.open("/transactions?preset=30d");
    assertThat(licences("#transactions")).isNotEmpty().containsOnly("ursula");
    browser.open("/balances");
    assertThat(licences("#balances")).isNotEmpty().containsOnly("ursula");
    // The reports are finance's: the route refuses a user.
    assertThat(status("/billing/project-costs")).isEqualTo(403);
    assertThat(status("/billing/revenue/csv?report=true&month=2026-11")).isEqualTo(403);
    // And a user who is no partner is refused the partner revenue by the library.
    assertThat(status("/partner/revenue")).isEqualTo(403);
  }

  private List<String> licences(String table) {
    return browser.all(table + " td.licence").stream().map(WebElement::getText).toList();
  }

  private String fetch(String url) throws Exception {
    HttpResponse<String> r = browser.get(url);
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }

  private int status(String path) throws Exception {
    return browser.get(app.base.resolve(path).toString()).statusCode();
  }
}
