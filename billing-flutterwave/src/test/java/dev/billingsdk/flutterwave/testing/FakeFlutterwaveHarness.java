package dev.billingsdk.flutterwave.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.billingsdk.testkit.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A FakeFlutterwave on a test clock and a small JDK client for it: what the FakeFlutterwave tests
 * share.
 */
abstract class FakeFlutterwaveHarness {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
  static final Instant START = Instant.parse("2026-12-03T09:00:00Z");

  final TestClock clock = new TestClock(START);
  final HttpClient client = HttpClient.newHttpClient();
  FakeFlutterwave fake;

  @BeforeEach
  void start() {
    fake = FakeFlutterwave.start(clock);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  // ------------------------------------------------------------------ a small client

  /** A clock the test moves. */
  record Answer(int status, String body, JsonNode json, HttpResponse<String> raw) {
    JsonNode data() {
      return json.get("data");
    }
  }

  Answer post(String path, String json) {
    return send(
        authorized(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Answer get(String pathAndQuery) {
    return send(authorized(pathAndQuery).GET().build());
  }

  HttpRequest.Builder authorized(String pathAndQuery) {
    return HttpRequest.newBuilder(fake.baseUri().resolve(pathAndQuery))
        .header("Authorization", "Bearer " + fake.secretKey())
        .header("Accept", "application/json");
  }

  Answer send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    String body = response.body();
    JsonNode json = body.startsWith("{") ? parse(body) : JSON.nullNode();
    return new Answer(response.statusCode(), body, json, response);
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  static String link(String txRef, String amount, String currency) {
    return "{\"tx_ref\":\""
        + txRef
        + "\",\"amount\":"
        + amount
        + ",\"currency\":\""
        + currency
        + "\",\"redirect_url\":\"https://app.example/paid\",\"payment_options\":\"card\","
        + "\"customer\":{\"email\":\"ada@example.com\",\"name\":\"Ada\"},"
        + "\"customizations\":{\"title\":\"Acme <AI>\"},"
        + "\"meta\":{\"tenant\":\"acme-ai\",\"purchase\":\""
        + txRef
        + "\"}}";
  }

  Answer createLink(String txRef) {
    Answer answer = post("/v3/payments", link(txRef, "45", "NGN"));
    assertThat(answer.status()).isEqualTo(200);
    return answer;
  }

  Answer charge(String token, String txRef, String amount) {
    return post(
        "/v3/tokenized-charges",
        "{\"token\":\""
            + token
            + "\",\"email\":\"ada@example.com\",\"currency\":\"NGN\",\"amount\":"
            + amount
            + ",\"tx_ref\":\""
            + txRef
            + "\",\"narration\":\"Auto top-up\"}");
  }

  static void assertError(Answer answer, int status, String message) {
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.json().get("status").asText()).isEqualTo("error");
    assertThat(answer.json().get("message").asText()).isEqualTo(message);
    assertThat(answer.json().get("data").isNull()).isTrue();
  }

  static String hmac(String body, String key) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }
}
