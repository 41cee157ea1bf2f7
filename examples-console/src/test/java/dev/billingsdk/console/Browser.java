package dev.billingsdk.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium through its chromedriver, at the paths Debian installs them (so
 * Selenium Manager never downloads a browser). Without them the suite is skipped, unless {@code
 * BILLING_TEST_BROWSER_REQUIRED=true} (CI sets it): then it fails. Screenshots go to {@code
 * target/screenshots/}.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of(env("BILLING_TEST_CHROMIUM", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(env("BILLING_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final ObjectMapper JSON = new ObjectMapper();

  final ChromeDriver driver;
  private final URI base;

  private Browser(ChromeDriver driver, URI base) {
    this.driver = driver;
    this.base = base;
  }

  static String env(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : value;
  }

  /** Chromium, pointed at the console at {@code base}. */
  static Browser start(URI base) throws Exception {
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
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        "--hide-scrollbars",
        "--force-device-scale-factor=1");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    Files.createDirectories(SCREENSHOTS);
    return new Browser(driver, base);
  }

  /** Opens a path of the console. */
  void open(String path) {
    driver.get(base.resolve(path).toString());
  }

  /**
   * Signs in as {@code person} from the login page, and waits for the page the sign-in leads to (a
   * click returns before the form's redirect is followed; without the wait a test may read the
   * login page's path). A sign-in that fails leaves the browser on the login path after the wait.
   */
  void signIn(String person) {
    open("/login");
    click("#sign-in-" + person);
    try {
      new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(d -> !"/login".equals(URI.create(d.getCurrentUrl()).getPath()));
    } catch (TimeoutException e) {
      // Left to the test's own assertion on the path, which names what it expected.
    }
  }

  void signOut() {
    click("#sign-out");
  }

  /** The element, once the page that has it is loaded (a click's navigation may still run). */
  WebElement waitFor(String css) {
    return new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  void click(String css) {
    find(css).click();
  }

  /**
   * Clicks what submits a form or follows a link, and waits until the next page has replaced this
   * one: a read right after a plain click may still see the old page, or none while it unloads.
   */
  void clickAndLoad(String css) {
    // A mark on this document's window: the next document's window has none. (A stale-element
    // wait is not enough: Chromium may answer a read of the old node with an inspector error.)
    driver.executeScript("window.billingConsoleTestOldPage = true;");
    find(css).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .ignoring(org.openqa.selenium.WebDriverException.class)
        .until(
            d ->
                Boolean.TRUE.equals(
                    ((org.openqa.selenium.JavascriptExecutor) d)
                        .executeScript(
                            "return document.readyState === 'complete'"
                                + " && !window.billingConsoleTestOldPage;")));
  }

  String text(String css) {
    return find(css).getText();
  }

  String path() {
    return URI.create(driver.getCurrentUrl()).getPath();
  }

  /** The labels of the tabs shown. */
  List<String> tabs() {
    return all("nav.tabs a").stream().map(WebElement::getText).toList();
  }

  /** Keeps a screenshot of the page as {@code target/screenshots/<name>.png}. */
  Path screenshot(String name) throws Exception {
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  /** Drops what the browser logged so far. */
  void clearLogs() {
    driver.manage().logs().get(LogType.BROWSER);
    driver.manage().logs().get(LogType.PERFORMANCE);
  }

  /**
   * Console messages at SEVERE since the last call, from the console's own pages (the provider
   * fakes' stand-in hosted pages, on other ports, are not the console's).
   */
  List<String> consoleErrors() {
    List<String> errors = new ArrayList<>();
    String origin = base.toString();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      String m = e.getMessage();
      boolean foreign = m.startsWith("http") && !m.startsWith(origin);
      if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !foreign) {
        errors.add(m);
      }
    }
    return errors;
  }

  /** The URL of every request the pages made since the last call. */
  List<String> requests() throws Exception {
    List<String> urls = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
      JsonNode message = JSON.readTree(e.getMessage()).path("message");
      if (message.path("method").asText().equals("Network.requestWillBeSent")) {
        urls.add(message.path("params").path("request").path("url").asText());
      }
    }
    return urls;
  }

  /**
   * The page logged no error and asked for nothing outside this machine (the console and the local
   * provider fakes answer on 127.0.0.1).
   */
  void assertCleanSince(String what) throws Exception {
    assertThat(consoleErrors()).as(what + ": console errors").isEmpty();
    for (String url : requests()) {
      if (url.startsWith("data:") || url.startsWith("about:")) {
        continue;
      }
      assertThat(URI.create(url).getHost()).as(what + ": " + url).isEqualTo("127.0.0.1");
    }
  }

  /** GETs {@code url} as this browser's person (its sign-in cookie), outside the browser. */
  java.net.http.HttpResponse<String> get(String url) throws Exception {
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(URI.create(url))
            .header("Cookie", "console_token=" + token())
            .GET()
            .build();
    return java.net.http.HttpClient.newHttpClient()
        .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /** The sign-in cookie's token, to fetch a download as this browser's person. */
  String token() {
    return driver.manage().getCookieNamed("console_token").getValue();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
