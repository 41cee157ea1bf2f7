package dev.billingsdk.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingsdk.AccountId;
import dev.billingsdk.statement.Statement;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.print.PrintOptions;

/**
 * The HTML statement in a real browser: Debian's headless Chromium through its chromedriver (both
 * named explicitly, so Selenium Manager never downloads a browser or driver). Without Chromium the
 * suite is skipped, unless {@code BILLING_TEST_BROWSER_REQUIRED=true} (CI sets it): then it fails.
 * {@code BILLING_TEST_CHROMIUM} and {@code BILLING_TEST_CHROMEDRIVER} point elsewhere if needed.
 *
 * <p>The screenshot is kept at {@code target/screenshots/statement.png}; it is copied to {@code
 * docs/images/statement.png} when that file is missing or with {@code
 * -Dbilling.export.docsImage=update}, so an ordinary run leaves the source tree alone.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChromiumStatementTest {
  static final Path CHROMIUM = Path.of(env("BILLING_TEST_CHROMIUM", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(env("BILLING_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
  static final Path OUT = Path.of("target", "screenshots");
  static final Path DOCS_IMAGE = Path.of("..", "docs", "images", "statement.png");
  static final ObjectMapper JSON = new ObjectMapper();

  static ChromeDriver driver;

  static String env(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : value;
  }

  @BeforeAll
  static void startChromium() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String missing = "no Chromium at " + CHROMIUM + " with a chromedriver at " + CHROMEDRIVER;
      if ("true".equals(System.getenv("BILLING_TEST_BROWSER_REQUIRED"))) {
        fail(missing + ", and BILLING_TEST_BROWSER_REQUIRED=true");
      }
      assumeTrue(false, missing + " (set BILLING_TEST_BROWSER_REQUIRED=true to fail instead)");
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1200,1400",
        "--hide-scrollbars",
        "--force-device-scale-factor=1");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(service, options);
    Files.createDirectories(OUT);
  }

  @AfterAll
  static void stopChromium() {
    if (driver != null) {
      driver.quit();
    }
  }

  /** Writes the page, opens it, and returns the file's URL. */
  static String open(String html, String name) throws Exception {
    Path file = OUT.resolve(name).toAbsolutePath();
    Files.writeString(file, html, StandardCharsets.UTF_8);
    // Drop what earlier pages logged.
    driver.manage().logs().get(LogType.BROWSER);
    driver.manage().logs().get(LogType.PERFORMANCE);
    String url = file.toUri().toString();
    driver.get(url);
    return driver.getCurrentUrl();
  }

  static List<String> consoleErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(e.getMessage());
      }
    }
    return errors;
  }

  /** The URL of every request the page made, from the performance log's Network events. */
  static List<String> requests() throws Exception {
    List<String> urls = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
      JsonNode message = JSON.readTree(e.getMessage()).path("message");
      if (message.path("method").asText().equals("Network.requestWillBeSent")) {
        urls.add(message.path("params").path("request").path("url").asText());
      }
    }
    return urls;
  }

  static String text(WebElement e) {
    return e.getDomProperty("textContent");
  }

  @Test
  void a_realistic_statement_renders_with_its_charts_loading_nothing_and_logging_no_error()
      throws Exception {
    ExportWorld world = new ExportWorld();
    AccountId licence = world.open("licence-1", "uma");
    Statement s = world.october(licence);
    String url = open(HtmlStatement.render(s), "statement.html");

    assertThat(driver.getTitle()).isEqualTo("Statement licence-1 2026-10 (CREDIT)");
    assertThat(consoleErrors()).isEmpty();
    assertThat(requests()).as("the page loads nothing but itself").containsOnly(url).isNotEmpty();

    List<WebElement> charts = driver.findElements(By.cssSelector("svg[role='img']"));
    assertThat(charts).hasSize(2);
    List<String> titles = new ArrayList<>();
    for (WebElement chart : charts) {
      assertThat(chart.isDisplayed()).isTrue();
      assertThat(chart.getSize().getWidth()).isGreaterThan(200);
      assertThat(chart.getSize().getHeight()).isGreaterThan(150);
      String[] labels = chart.getDomAttribute("aria-labelledby").split(" ");
      assertThat(labels).hasSize(2);
      WebElement title = driver.findElement(By.id(labels[0]));
      WebElement desc = driver.findElement(By.id(labels[1]));
      assertThat(title.getTagName()).isEqualTo("title");
      assertThat(desc.getTagName()).isEqualTo("desc");
      assertThat(text(desc)).isNotBlank();
      titles.add(text(title));
    }
    assertThat(titles).containsExactly("Monthly cost by pool", "Hourly cost");
    assertThat(driver.findElements(By.cssSelector("#monthly-cost g.slice path"))).hasSize(3);
    assertThat(driver.findElements(By.cssSelector("#hourly-cost g.bars rect")))
        .hasSize(s.hourly(Optional.empty()).size());

    // The table fallbacks of the charts, and the machine-usage detail.
    List<WebElement> pools = driver.findElements(By.cssSelector("#monthly-cost-data tbody tr"));
    assertThat(pools).hasSize(3);
    assertThat(pools.get(0).findElement(By.tagName("th")).getText()).isEqualTo("gpu");
    assertThat(driver.findElements(By.cssSelector("#hourly-cost-data tbody tr")))
        .hasSize(s.hourly(Optional.empty()).size());
    assertThat(driver.findElements(By.cssSelector("#machine-usage-data tbody tr"))).hasSize(6);

    File shot = driver.getScreenshotAs(OutputType.FILE);
    Path png = OUT.resolve("statement.png");
    Files.copy(shot.toPath(), png, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(png)).isGreaterThan(10_000);
    if (!Files.exists(DOCS_IMAGE)
        || "update".equals(System.getProperty("billing.export.docsImage"))) {
      Files.createDirectories(DOCS_IMAGE.getParent());
      Files.copy(png, DOCS_IMAGE, StandardCopyOption.REPLACE_EXISTING);
    }

    // It prints: the print style gives a PDF of a few pages.
    byte[] pdf = Base64.getDecoder().decode(driver.print(new PrintOptions()).getContent());
    Files.write(OUT.resolve("statement.pdf"), pdf);
    assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  void markup_in_a_dimension_value_is_text_in_the_browser_and_never_runs() throws Exception {
    String script = "<script>alert(1)</script>";
    String url =
        open(
            HtmlStatement.render(
                HandMade.statement("<b>x</b>", "<img src=x onerror=alert(2)>", script)),
            "injection.html");

    assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    assertThat(consoleErrors()).isEmpty();
    assertThat(requests()).containsOnly(url);
    assertThat(driver.findElements(By.tagName("script"))).isEmpty();
    assertThat(driver.findElements(By.tagName("img"))).isEmpty();
    assertThat(driver.findElement(By.cssSelector("#monthly-cost-data tbody th")).getText())
        .isEqualTo(script);
    assertThat(driver.findElement(By.cssSelector("#credits tbody td")).getText())
        .isEqualTo("<img src=x onerror=alert(2)>");
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Statement for <b>x</b>");
  }

  @Test
  void the_checks_see_what_they_look_for() throws Exception {
    // Proof that the console and network checks can fail: a page that errs and fetches.
    String url =
        open(
            "<!DOCTYPE html><html><head><title>t</title></head><body>"
                + "<img src=\"missing-image.png\" alt=\"\"></body></html>",
            "bad.html");
    assertThat(requests()).contains(url).anyMatch(u -> u.endsWith("missing-image.png"));
    driver.navigate().refresh();
    assertThat(consoleErrors()).anyMatch(m -> m.contains("missing-image.png"));
  }
}
