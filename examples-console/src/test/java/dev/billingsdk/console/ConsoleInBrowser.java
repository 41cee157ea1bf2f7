package dev.billingsdk.console;

import dev.billingsdk.setup.Billing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What the browser suites share: one console (its own database, the fixed clock, a free port) and
 * one headless Chromium for the class, the browser's logs cleared before each test and its cookies
 * (the sign-in) deleted after. Tests run in their {@code @Order}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ConsoleInBrowser {
  ConsoleApp app;
  Browser browser;
  Billing billing;

  /** The name of the class's console database. */
  abstract String database();

  @BeforeAll
  void start() throws Exception {
    app = ConsoleApp.start(database());
    billing = app.bean(Billing.class);
    browser = Browser.start(app.base);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @BeforeEach
  void fresh() {
    browser.clearLogs();
  }

  @AfterEach
  void signOut() {
    browser.driver.manage().deleteAllCookies();
  }
}
