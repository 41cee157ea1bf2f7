package dev.billingsdk.stripe.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingsdk.stripe.internal.FormCodec;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A FakeStripe on a test clock and a small JDK client for it: what the FakeStripe tests share. */
abstract class FakeStripeHarness {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

  final MutableClock clock = new MutableClock(NOW);
  final HttpClient client = HttpClient.newHttpClient();
  FakeStripe fake;

  @BeforeEach
  void start() {
    fake = FakeStripe.builder().clock(clock).seed(7).start();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  // ------------------------------------------------------------------ a small client

  record Answer(int status, JsonNode json, HttpResponse<String> raw) {}

  Answer post(String path, Map<String, ?> params, String key) {
    return post(path, FormCodec.encode(params), key);
  }

  Answer post(String path, String form, String key) {
    HttpRequest.Builder b =
        authorized(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (key != null) {
      b.header("Idempotency-Key", key);
    }
    return send(b.build());
  }

  Answer get(String pathAndQuery) {
    return send(authorized(pathAndQuery).GET().build());
  }

  HttpRequest.Builder authorized(String pathAndQuery) {
    return HttpRequest.newBuilder(fake.baseUri().resolve(pathAndQuery))
        .header("Authorization", "Bearer " + fake.secretKey())
        .header("Stripe-Version", fake.apiVersion());
  }

  Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode json =
          response.body().startsWith("{") ? JSON.readTree(response.body()) : JSON.nullNode();
      return new Answer(response.statusCode(), json, response);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Map<String, Object> checkout(String reference) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("mode", "payment");
    params.put("success_url", "https://shop.example/done?x=<1>");
    params.put("cancel_url", "https://shop.example/cancel");
    params.put("client_reference_id", reference);
    params.put("metadata", Map.of("purchase_id", reference, "empty", ""));
    params.put(
        "line_items",
        List.of(
            Map.of(
                "quantity",
                3,
                "price_data",
                Map.of(
                    "currency",
                    "eur",
                    "unit_amount",
                    250,
                    "product_data",
                    Map.of("name", "credits")))));
    return params;
  }

  String newSession(String reference) {
    Answer created = post("/v1/checkout/sessions", checkout(reference), "create-" + reference);
    assertThat(created.status()).isEqualTo(200);
    return created.json().get("id").asText();
  }

  static String hmac(String secret, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  static Map<String, Object> item(String currency, Object unitAmount, int quantity, String name) {
    return Map.of(
        "quantity",
        quantity,
        "price_data",
        Map.of(
            "currency", currency, "unit_amount", unitAmount, "product_data", Map.of("name", name)));
  }
}
