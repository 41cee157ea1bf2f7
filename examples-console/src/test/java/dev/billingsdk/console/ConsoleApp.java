package dev.billingsdk.console;

import java.net.URI;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The console started for a test: its own database, a fixed clock, a free port. */
final class ConsoleApp implements AutoCloseable {
  /** The console's "now" in the tests: the demo's month of usage is November 2026. */
  static final String NOW = "2026-12-04T10:00:00Z";

  final ConfigurableApplicationContext context;
  final URI base;

  private ConsoleApp(ConfigurableApplicationContext context) {
    this.context = context;
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  static ConsoleApp start(String database) {
    return new ConsoleApp(
        // Arguments, not default properties: they must win over application.properties.
        new SpringApplicationBuilder(ConsoleApplication.class)
            .run(
                "--server.port=0",
                "--console.now=" + NOW,
                "--spring.datasource.url=jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1",
                "--billing.jobs.enabled=false"));
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
