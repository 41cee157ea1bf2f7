package dev.billingsdk.spring;

import static dev.billingsdk.spring.Fixtures.ACCOUNT;
import static dev.billingsdk.spring.Fixtures.ADMIN;
import static dev.billingsdk.spring.Fixtures.CREDIT;
import static dev.billingsdk.spring.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.flutterwave.testing.FakeFlutterwave;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.StartCheckoutRequest;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.stripe.testing.FakeStripe;
import dev.billingsdk.stripe.testing.WebhookDelivery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot web application with the starter, on a real server and a real H2 database, with
 * Stripe and Flutterwave configured by properties and played by their local fakes: a package bought
 * end to end through each provider's webhook endpoint, and every way a delivery is refused.
 */
class WebhookEndpointTest {
  private static final CurrencyUnit USD = CurrencyUnit.of("USD");
  private static final Actor BUYER = Actor.of("bob", Role.USER);
  private static final Fixtures.TestClock CLOCK = new Fixtures.TestClock(Fixtures.START);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static FakeStripe stripe;
  private static FakeFlutterwave flutterwave;
  private static ConfigurableApplicationContext app;
  private static URI base;
  private static Billing billing;

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Clock clock() {
      return CLOCK;
    }
  }

  @BeforeAll
  static void start() {
    stripe = FakeStripe.builder().clock(CLOCK).start();
    flutterwave = FakeFlutterwave.start(CLOCK);
    app =
        new SpringApplicationBuilder(App.class)
            .properties(
                "server.port=0",
                "spring.datasource.url=" + Fixtures.h2("webhooks"),
                "billing.store.schema=apply",
                "billing.jobs.enabled=false",
                "billing.stripe.api-key=" + stripe.secretKey(),
                "billing.stripe.webhook-secrets=" + stripe.webhookSecret(),
                "billing.stripe.base-uri=" + stripe.baseUri(),
                "billing.flutterwave.secret-key=" + flutterwave.secretKey(),
                "billing.flutterwave.webhook-secret-hash=" + flutterwave.secretHash(),
                "billing.flutterwave.base-uri=" + flutterwave.baseUri(),
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-components=always",
                "management.endpoint.health.show-details=always")
            .run();
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    base = URI.create("http://127.0.0.1:" + port);
    billing = app.getBean(Billing.class);
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(TENANT, ACCOUNT, CREDIT).actor(ADMIN).build());
    billing
        .catalogue()
        .createPackage(
            TENANT,
            CreditPackageDraft.builder(PackageId.of("growth"), "Growth")
                .credits(Amount.of(CREDIT, 5_000))
                .price(Amount.of(USD, "45.00"))
                .build(),
            ADMIN);
  }

  @AfterAll
  static void stop() {
    app.close();
    stripe.close();
    flutterwave.close();
  }

  @Test
  void aStripePaymentIsCreditedOnceThroughTheEndpoint() throws Exception {
    String session = checkout("order-stripe-1", "stripe");
    CLOCK.advance(Duration.ofMinutes(2));
    WebhookDelivery paid = stripe.pay(session);
    Amount before = billing.credits().balance(TENANT, ACCOUNT).available();

    HttpResponse<String> first =
        post("/billing/webhooks/stripe", paid.payload(), stripeHeaders(paid));
    HttpResponse<String> again =
        post("/billing/webhooks/stripe", paid.payload(), stripeHeaders(paid));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(first.body()).get("received").asText()).isEqualTo("paid");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).get("received").asText()).isEqualTo("duplicate");
    assertThat(billing.credits().balance(TENANT, ACCOUNT).available())
        .isEqualTo(before.plus(Amount.of(CREDIT, 5_000)));
  }

  @Test
  void aFlutterwavePaymentIsCreditedOnceThroughTheEndpoint() throws Exception {
    String txRef = checkout("order-flw-1", "flutterwave");
    CLOCK.advance(Duration.ofMinutes(2));
    long id = flutterwave.pay(txRef).id();
    dev.billingsdk.flutterwave.testing.WebhookDelivery paid = flutterwave.webhookFor(id);
    Amount before = billing.credits().balance(TENANT, ACCOUNT).available();

    HttpResponse<String> first = post("/billing/webhooks/flutterwave", paid.body(), paid.headers());
    HttpResponse<String> again = post("/billing/webhooks/flutterwave", paid.body(), paid.headers());

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(first.body()).get("received").asText()).isEqualTo("paid");
    assertThat(JSON.readTree(again.body()).get("received").asText()).isEqualTo("duplicate");
    assertThat(billing.credits().balance(TENANT, ACCOUNT).available())
        .isEqualTo(before.plus(Amount.of(CREDIT, 5_000)));
  }

  @Test
  void aDeliveryThatDoesNotVerifyIsRefusedWith400AndChangesNothing() throws Exception {
    String session = checkout("order-stripe-2", "stripe");
    WebhookDelivery paid = stripe.pay(session);
    Amount before = billing.credits().balance(TENANT, ACCOUNT).available();
    String tampered = paid.payload().replace("\"paid\"", "\"PAID\"");

    HttpResponse<String> badBody = post("/billing/webhooks/stripe", tampered, stripeHeaders(paid));
    HttpResponse<String> noSignature = post("/billing/webhooks/stripe", paid.payload(), Map.of());
    HttpResponse<String> badHash =
        post(
            "/billing/webhooks/flutterwave",
            "{\"event\":\"charge.completed\"}",
            Map.of("verif-hash", List.of("not-the-hash")));

    assertThat(badBody.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badBody.body()).get("error").asText()).isEqualTo("signature_mismatch");
    assertThat(noSignature.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noSignature.body()).get("error").asText())
        .isEqualTo("missing_signature");
    assertThat(badHash.statusCode()).isEqualTo(400);
    // Spring Boot bound the library's meters to the application's registry.
    io.micrometer.core.instrument.MeterRegistry registry =
        app.getBean(io.micrometer.core.instrument.MeterRegistry.class);
    assertThat(
            registry
                .get("billing.webhooks.rejected")
                .tag("provider", "stripe")
                .tag("reason", "signature_mismatch")
                .counter()
                .count())
        .isPositive();
    assertThat(billing.credits().balance(TENANT, ACCOUNT).available()).isEqualTo(before);
    assertThat(
            billing
                .purchases()
                .purchase(TENANT, PurchaseId.of("order-stripe-2"))
                .orElseThrow()
                .state()
                .name())
        .isEqualTo("PENDING");
  }

  @Test
  void aProviderThatIsNotConfiguredIs404() throws Exception {
    HttpResponse<String> r = post("/billing/webhooks/paypal", "{}", Map.of());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("unknown_provider");
  }

  @Test
  void healthShowsTheStoreAndEachProvidersConnection() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(base.resolve("/actuator/health/billing")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode health = JSON.readTree(r.body());
    assertThat(health.get("status").asText()).isEqualTo("UP");
    JsonNode store = health.get("components").get("store");
    assertThat(store.get("status").asText()).isEqualTo("UP");
    assertThat(store.get("details").get("schemaVersion").asInt())
        .isEqualTo(dev.billingsdk.jdbc.Schema.VERSION);
    assertThat(health.get("components").get("stripe").get("details").get("state").asText())
        .isEqualTo("connected");
    assertThat(health.get("components").get("flutterwave").get("status").asText()).isEqualTo("UP");
    assertThat(r.body()).doesNotContain(stripe.secretKey()).doesNotContain(flutterwave.secretKey());
  }

  private static String checkout(String purchase, String provider) {
    return billing
        .purchases()
        .startCheckout(
            StartCheckoutRequest.builder(TENANT, ACCOUNT, PurchaseId.of(purchase))
                .creditPackage(PackageId.of("growth"))
                .provider(provider)
                .successUrl(URI.create("https://app.example/paid"))
                .cancelUrl(URI.create("https://app.example/pricing"))
                .customerEmail("bob@example.com")
                .actor(BUYER)
                .build())
        .purchase()
        .checkoutRef()
        .orElseThrow();
  }

  private static Map<String, List<String>> stripeHeaders(WebhookDelivery d) {
    return Map.of("Stripe-Signature", List.of(d.signatureHeader()));
  }

  private static HttpResponse<String> post(
      String path, String body, Map<String, List<String>> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
