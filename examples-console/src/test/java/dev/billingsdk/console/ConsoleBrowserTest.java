package dev.billingsdk.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.money.Amount;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real headless Chromium: each role signs in and walks its tabs (a screenshot of
 * each is kept in target/screenshots), finance awards credits, a user downloads a statement and
 * buys a package through each provider's hosted page, and nobody sees what is not theirs. Every
 * page loads with no console error and no request off this machine.
 */
class ConsoleBrowserTest extends ConsoleInBrowser {
  @Override
  String database() {
    return "browser";
  }

  private Amount available(String account) {
    return billing.credits().balance(Directory.ACME, AccountId.of(account)).available();
  }

  @Test
  @Order(1)
  void financeWalksEveryTabOfTheBillingPage() throws Exception {
    browser.signIn("fiona");
    assertThat(browser.path()).isEqualTo("/billing/credit-management");
    assertThat(browser.tabs())
        .containsExactly(
            "Subscription Tiers",
            "Credit Settings",
            "Credit Management",
            "Project Costs",
            "Revenue Reports",
            "Project Invoices",
            "Statement",
            "Transactions",
            "Balances");
    assertThat(browser.text(".who")).contains("Fiona Finance").contains("Finance");

    browser.clickAndLoad("nav.tabs a[href='/billing/subscription-tiers']");
    assertThat(browser.text("#providers"))
        .contains("stripe")
        .contains("flutterwave")
        .contains("connected");
    assertThat(browser.text("#plans")).contains("Pro").contains("Team");
    browser.screenshot("finance-subscription-tiers");

    browser.clickAndLoad("nav.tabs a[href='/billing/credit-settings']");
    assertThat(browser.find("input[name=creditsPerDollar]").getAttribute("value"))
        .isEqualTo("100.00");
    // The dry-run switches are the admins': shown, not editable, to finance.
    assertThat(browser.find("input[name=dryRunMonthlyReset][type=checkbox]").isEnabled()).isFalse();
    browser.screenshot("finance-credit-settings");

    browser.clickAndLoad("nav.tabs a[href='/billing/credit-management']");
    assertThat(browser.all("#people tbody tr")).hasSize(5);
    assertThat(browser.text("#person-pat")).contains("Partner");
    assertThat(browser.text("#people thead")).contains("Partner").contains("Purchased");
    assertThat(browser.find("#people thead th[title=PARTNER_ALLOWANCE]").getText())
        .isEqualTo("Partner");
    keepForTheReadme(browser.screenshot("finance-credit-management"));

    browser.clickAndLoad("nav.tabs a[href='/statement']");
    assertThat(new Select(browser.find("#account")).getOptions()).hasSize(5);
    assertThat(browser.text("#summary")).contains("closed");
    browser.screenshot("finance-statement");
    browser.assertCleanSince("finance's tabs");
  }

  @Test
  @Order(2)
  void financeSearchesByEmailAndAwardsCreditsInACategory() throws Exception {
    Amount before = available("victor");
    browser.signIn("fiona");
    browser.find("#q").sendKeys("victor@");
    browser.clickAndLoad("#search");
    assertThat(browser.all("#people tbody tr")).hasSize(1);

    new Select(browser.find("#person-victor select[name=category]")).selectByVisibleText("Awarded");
    browser.find("#person-victor input[name=credits]").sendKeys("125");
    browser.clickAndLoad("#award-victor");

    assertThat(browser.text(".done")).contains("victor");
    assertThat(available("victor")).isEqualTo(before.plus(Amount.of(DemoData.CREDIT, 125)));
    assertThat(browser.text("#person-victor .available")).isEqualTo(available("victor").toString());

    // Purchased credits awarded by hand are recorded at the tenant's credit price, so they count
    // as true revenue when spent.
    Amount purchased = balance("victor").available(GrantCategory.PURCHASED);
    new Select(browser.find("#person-victor select[name=category]"))
        .selectByVisibleText("Purchased");
    browser.find("#person-victor input[name=credits]").sendKeys("10");
    browser.clickAndLoad("#award-victor");
    assertThat(balance("victor").available(GrantCategory.PURCHASED))
        .isEqualTo(purchased.plus(Amount.of(DemoData.CREDIT, 10)));
    assertThat(billing.credits().grants(Directory.ACME, AccountId.of("victor")))
        .last()
        .satisfies(
            g -> {
              assertThat(g.grant().category()).isEqualTo(GrantCategory.PURCHASED);
              assertThat(g.grant().costBasis().isFree()).isFalse();
            });
    browser.assertCleanSince("award");
  }

  @Test
  @Order(3)
  void financeDeductsCreditsFromOneCategoryAndCannotTakeMoreThanItHolds() throws Exception {
    AccountBalance before = balance("victor");
    Amount promo = before.available(GrantCategory.PROMOTIONAL);
    assertThat(promo.isPositive()).as("victor holds awarded credits").isTrue();
    browser.signIn("fiona");
    browser.find("#q").sendKeys("victor@");
    browser.clickAndLoad("#search");

    new Select(browser.find("#person-victor select[name=category]")).selectByVisibleText("Awarded");
    browser.find("#person-victor input[name=credits]").sendKeys("25");
    browser.clickAndLoad("#deduct-victor");

    assertThat(browser.text(".done")).isEqualTo("Credits deducted from victor.");
    AccountBalance after = balance("victor");
    Amount deducted = Amount.of(DemoData.CREDIT, 25);
    assertThat(after.available(GrantCategory.PROMOTIONAL)).isEqualTo(promo.minus(deducted));
    assertThat(after.available()).isEqualTo(before.available().minus(deducted));
    assertThat(after.availableByCategory())
        .as("every other category as it was")
        .isEqualTo(
            withEntry(
                before.availableByCategory(), GrantCategory.PROMOTIONAL, promo.minus(deducted)));
    assertThat(browser.text("#person-victor td[data-category=PROMOTIONAL]"))
        .isEqualTo(promo.minus(deducted).toDecimal().toPlainString());
    browser.assertCleanSince("deduct");

    // More than the category holds: refused, and nothing moves.
    Amount tooMuch = promo.minus(deducted).plus(Amount.of(DemoData.CREDIT, 1));
    new Select(browser.find("#person-victor select[name=category]")).selectByVisibleText("Awarded");
    browser
        .find("#person-victor input[name=credits]")
        .sendKeys(tooMuch.toDecimal().toPlainString());
    browser.clickAndLoad("#deduct-victor");
    assertThat(browser.text("#refused")).isEqualTo("Not done");
    assertThat(browser.text("main")).contains("PROMOTIONAL").contains("available in it");
    assertThat(balance("victor").availableByCategory()).isEqualTo(after.availableByCategory());
    browser.screenshot("finance-deduct-refused");
  }

  private AccountBalance balance(String account) {
    return billing.credits().balance(Directory.ACME, AccountId.of(account));
  }

  private static java.util.Map<GrantCategory, Amount> withEntry(
      java.util.Map<GrantCategory, Amount> map, GrantCategory key, Amount value) {
    java.util.Map<GrantCategory, Amount> copy = new java.util.LinkedHashMap<>(map);
    copy.put(key, value);
    return copy;
  }

  @Test
  @Order(4)
  void financeCreatesATierAndArchivesIt() throws Exception {
    browser.signIn("fiona");
    browser.open("/billing/subscription-tiers");
    browser.find("#new-tier input[name=id]").sendKeys("enterprise");
    browser.find("#new-tier input[name=name]").sendKeys("Enterprise");
    browser.find("#new-tier input[name=price]").sendKeys("400.00");
    browser.find("#new-tier input[name=credits]").sendKeys("80000");
    browser.clickAndLoad("#create-tier");
    assertThat(browser.text("#plan-enterprise")).contains("Enterprise").contains("active");

    browser.clickAndLoad("#archive-enterprise");
    assertThat(browser.text("#plan-enterprise")).contains("archived");
    assertThat(billing.catalogue().plans(Directory.ACME))
        .anySatisfy(p -> assertThat(p.id().value()).isEqualTo("enterprise"));
    browser.assertCleanSince("tiers");
  }

  @Test
  @Order(5)
  void anAdminSwitchesADryRunModeThatFinanceCannot() throws Exception {
    int before = billing.economy().settings(Directory.ACME).orElseThrow().version();
    browser.signIn("alice");
    browser.open("/billing/credit-settings");
    browser.click("input[name=dryRunPartnerPayouts][type=checkbox]");
    browser.find("#settings input[name=reason]").sendKeys("check payouts first");
    browser.clickAndLoad("#save-settings");
    assertThat(browser.text("#version")).isEqualTo(String.valueOf(before + 1));
    assertThat(
            billing
                .economy()
                .settings(Directory.ACME)
                .orElseThrow()
                .settings()
                .dryRunPartnerPayouts())
        .isTrue();
    browser.screenshot("admin-credit-settings");
    browser.assertCleanSince("admin settings");
  }

  @Test
  @Order(6)
  void aUserSeesTheirStatementDownloadsItAndNothingElse() throws Exception {
    browser.signIn("ursula");
    assertThat(browser.path()).isEqualTo("/statement");
    assertThat(browser.tabs())
        .containsExactly("Statement", "Transactions", "Balances", "Buy credits");
    assertThat(new Select(browser.find("#account")).getOptions())
        .extracting(o -> o.getText())
        .containsExactly("ursula");
    assertThat(browser.text("#summary")).contains("Ending balance");
    browser.screenshot("user-statement");

    // The CSV download, fetched as this browser's person: the statement's lines.
    String csv = fetch(browser.find("#download-csv").getAttribute("href"));
    assertThat(csv.lines().findFirst().orElseThrow()).startsWith("account,month,section,key");
    assertThat(csv).contains("ursula").contains("jupyter");
    String html = fetch(browser.find("#download-html").getAttribute("href"));
    assertThat(html).startsWith("<!DOCTYPE html>").contains("ursula");
    browser.assertCleanSince("user statement");

    // Another user's statement: the library refuses it, and nothing of it is shown.
    browser.open("/statement?account=victor&month=2026-11");
    assertThat(browser.text("#refused")).isEqualTo("Not allowed");
    assertThat(browser.driver.getPageSource()).doesNotContain("victor@");
    // The Billing page is finance's and admin's.
    browser.open("/billing/credit-management");
    assertThat(browser.driver.getPageSource()).doesNotContain("victor@acme.example");
    browser.screenshot("user-refused");
  }

  @Test
  @Order(7)
  void aUserBuysAPackageThroughEachProvidersHostedPage() throws Exception {
    Amount before = available("wanda");
    browser.signIn("wanda");
    browser.clickAndLoad("nav.tabs a[href='/buy']");
    browser.screenshot("user-buy");

    browser.clickAndLoad("#buy-starter-stripe");
    // FakeStripe's hosted page: paid; back to the console.
    WebElement back = browser.waitFor("a[href*='/buy/return/stripe']");
    assertThat(browser.driver.getPageSource()).contains("Paid (FakeStripe)");
    back.click();
    assertThat(browser.text("#effect")).isEqualTo("paid");
    Amount afterStripe = before.plus(Amount.of(DemoData.CREDIT, 1_000));
    assertThat(available("wanda")).isEqualTo(afterStripe);
    browser.screenshot("user-bought-stripe");

    browser.open("/buy");
    browser.clickAndLoad("#buy-boost-flutterwave");
    // FakeFlutterwave's hosted page: pay, and it sends the buyer back.
    browser.waitFor("a[href$='outcome=successful']").click();
    assertThat(browser.text("#effect")).isEqualTo("paid");
    assertThat(available("wanda")).isEqualTo(afterStripe.plus(Amount.of(DemoData.CREDIT, 5_500)));
    assertThat(browser.text("#available")).isEqualTo(available("wanda").toString());
    browser.screenshot("user-bought-flutterwave");
    browser.assertCleanSince("purchases");
  }

  @Test
  @Order(8)
  void aPartnerSeesOnlyTheirOwnAccount() throws Exception {
    browser.signIn("pat");
    assertThat(browser.path()).isEqualTo("/statement");
    assertThat(new Select(browser.find("#account")).getOptions())
        .extracting(o -> o.getText())
        .containsExactly("pat");
    browser.screenshot("partner-statement");
    browser.assertCleanSince("partner");
    browser.open("/statement?account=quinn&month=2026-11");
    assertThat(browser.text("#refused")).isEqualTo("Not allowed");
  }

  @Test
  @Order(9)
  void withoutATokenEveryPageSendsToTheSignIn() throws Exception {
    for (String page : List.of("/statement", "/billing/credit-management", "/buy")) {
      browser.open(page);
      assertThat(browser.path()).as(page).isEqualTo("/login");
    }
    browser.screenshot("login");
  }

  /**
   * README.md shows the Credit Management tab: docs/images/console.png is written when missing or
   * with {@code -Dconsole.docsImage=update}, so an ordinary run leaves the source tree alone.
   */
  private static void keepForTheReadme(java.nio.file.Path png) throws Exception {
    java.nio.file.Path image = java.nio.file.Path.of("..", "docs", "images", "console.png");
    if (!java.nio.file.Files.exists(image)
        || "update".equals(System.getProperty("console.docsImage"))) {
      java.nio.file.Files.copy(png, image, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private String fetch(String url) throws Exception {
    HttpResponse<String> r = browser.get(url);
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }
}
