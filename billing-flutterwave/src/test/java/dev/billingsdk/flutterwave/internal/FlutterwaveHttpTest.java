package dev.billingsdk.flutterwave.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.flutterwave.FlutterwaveSecretKey;
import dev.billingsdk.flutterwave.internal.StubServer.Reply;
import dev.billingsdk.payment.PaymentProviderException;
import dev.billingsdk.payment.PaymentProviderException.Kind;
import dev.billingsdk.testkit.TestClock;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlutterwaveHttpTest {
  static final String SECRET = "FLWSECK_TEST-0123456789abcdef0123456789abcdef-X";
  static final String VERIFY = "/v3/transactions/4975363/verify";
  static final String CHARGE = "/v3/tokenized-charges";
  static final String REFUND = "/v3/transactions/4975363/refund";

  final TestClock clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));
  final List<Duration> sleeps = new ArrayList<>();
  final StubServer stub = StubServer.start();
  final FlutterwaveHttp http = transport().build();

  @AfterEach
  void stop() {
    stub.close();
  }

  FlutterwaveHttp.Builder transport() {
    return FlutterwaveHttp.builder(FlutterwaveSecretKey.of(SECRET))
        .baseUri(stub.baseUri())
        .clock(clock)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(300))
        .random(() -> 1.0)
        .sleeper(sleeps::add)
        .requestTimeout(Duration.ofSeconds(5));
  }

  static PaymentProviderException failure(Runnable call) {
    PaymentProviderException e = catchThrowableOfType(PaymentProviderException.class, call::run);
    assertThat(e).as("a PaymentProviderException").isNotNull();
    assertThat(e.provider()).isEqualTo("flutterwave");
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET).doesNotContain("FLWSECK");
    }
    return e;
  }

  static ObjectNode json(String key, Object value) {
    ObjectNode node = FlutterwaveJson.mapper().createObjectNode();
    node.putPOJO(key, value);
    return node;
  }

  // ------------------------------------------------------------------ what is sent

  @Test
  void getsWithTheBearerKeyAndAnswersTheData() {
    stub.on("GET", VERIFY, Reply.success("{\"id\":4975363,\"amount\":1500.50}"));

    JsonNode data = http.get(VERIFY, Map.of());

    assertThat(data.get("id").asLong()).isEqualTo(4975363);
    assertThat(data.get("amount").decimalValue()).isEqualTo(new BigDecimal("1500.50"));
    StubServer.Received sent = stub.requests().get(0);
    assertThat(sent.method()).isEqualTo("GET");
    assertThat(sent.header("Authorization")).contains("Bearer " + SECRET);
    assertThat(sent.header("Accept")).contains("application/json");
    assertThat(sent.body()).isEmpty();
  }

  @Test
  void encodesTheQuery() {
    stub.on("GET", "/v3/transactions/verify_by_reference", Reply.success("{\"id\":1}"));

    http.get("/v3/transactions/verify_by_reference", Map.of("tx_ref", "p 1&x=ü"));

    assertThat(stub.requests().get(0).query()).isEqualTo("tx_ref=p+1%26x%3D%C3%BC");
  }

  @Test
  void postsJsonWithExactAmounts() {
    stub.on("POST", "/v3/payments", Reply.success("{\"link\":\"https://pay.example/x\"}"));
    ObjectNode body = FlutterwaveJson.mapper().createObjectNode();
    body.put("tx_ref", "p-1");
    body.put("amount", new BigDecimal("1500.50"));

    JsonNode data = http.post("/v3/payments", body);

    assertThat(data.get("link").asText()).isEqualTo("https://pay.example/x");
    StubServer.Received sent = stub.requests().get(0);
    assertThat(sent.header("Content-Type")).contains("application/json");
    assertThat(sent.body()).isEqualTo("{\"tx_ref\":\"p-1\",\"amount\":1500.50}");
  }

  // ------------------------------------------------------------------ retries

  @Test
  void retriesAGetOn5xxWithGrowingWaits() {
    stub.on(
        "GET",
        VERIFY,
        Reply.error(502, "Bad gateway"),
        Reply.error(503, "Unavailable"),
        Reply.success("{\"id\":4975363}"));

    assertThat(http.get(VERIFY, Map.of()).get("id").asLong()).isEqualTo(4975363);

    assertThat(stub.requests()).hasSize(3);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void retriesAGetOnIoErrors() {
    // (The JDK's client may itself resend a GET once on a closed connection; the transport's own
    // attempts are what the sleeper sees.)
    stub.on("GET", VERIFY, Reply.dropped());

    PaymentProviderException e = failure(() -> http.get(VERIFY, Map.of()));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("after 3 attempts").doesNotContain("outcome is unknown");
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(stub.requests().size()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void retriesAGetOn429() {
    stub.on(
        "GET",
        VERIFY,
        Reply.error(429, "Slow down"),
        Reply.error(429, "Slow down"),
        Reply.success("{}"));

    assertThat(http.get(VERIFY, Map.of()).isObject()).isTrue();

    assertThat(stub.requests()).hasSize(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void givesUpAfterMaxAttempts() {
    stub.on("GET", VERIFY, Reply.error(500, "Internal error"));

    PaymentProviderException e = failure(() -> http.get(VERIFY, Map.of()));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("500").contains("after 3 attempts");
    assertThat(stub.requests()).hasSize(3);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void capsTheWaitAndDrawsJitterBetweenHalfAndAll() {
    FlutterwaveHttp low = transport().random(() -> 0.0).build();
    assertThat(low.backoff(1)).isEqualTo(Duration.ofMillis(50));
    assertThat(http.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(http.backoff(3)).isEqualTo(Duration.ofMillis(300));
    assertThat(http.backoff(40)).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void retriesThePaymentLinkPost() {
    stub.on("POST", "/v3/payments", Reply.dropped(), Reply.success("{\"link\":\"https://x\"}"));

    assertThat(http.post("/v3/payments", json("tx_ref", "p-1")).get("link").asText())
        .isEqualTo("https://x");
    assertThat(stub.requests("POST", "/v3/payments")).hasSize(2);
  }

  @Test
  void neverRetriesATokenizedCharge() {
    stub.on("POST", CHARGE, Reply.error(503, "Unavailable"), Reply.success("{\"id\":1}"));

    PaymentProviderException e = failure(() -> http.post(CHARGE, json("token", "flw-t1")));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("outcome is unknown");
    assertThat(stub.requests()).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void neverRetriesARefundAfterAnIoError() {
    stub.on("POST", REFUND, Reply.dropped(), Reply.success("{\"id\":1}"));

    PaymentProviderException e = failure(() -> http.post(REFUND, json("amount", 20)));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("outcome is unknown");
    assertThat(stub.requests()).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aTimedOutChargeIsUnavailableWithAnUnknownOutcome() {
    FlutterwaveHttp impatient = transport().requestTimeout(Duration.ofMillis(200)).build();
    stub.on("POST", CHARGE, Reply.success("{\"id\":1}").after(Duration.ofSeconds(2)));

    PaymentProviderException e = failure(() -> impatient.post(CHARGE, json("token", "flw-t1")));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("timed out").contains("outcome is unknown");
    // Sent once: no wait for a second attempt (the stub may not have logged the first one yet).
    assertThat(sleeps).isEmpty();
    assertThat(stub.requests().size()).isLessThanOrEqualTo(1);
  }

  @Test
  void aTimedOutGetIsRetried() {
    FlutterwaveHttp impatient = transport().requestTimeout(Duration.ofMillis(200)).build();
    stub.on(
        "GET",
        VERIFY,
        Reply.success("{\"id\":1}").after(Duration.ofSeconds(2)),
        Reply.success("{\"id\":2}"));

    assertThat(impatient.get(VERIFY, Map.of()).get("id").asInt()).isEqualTo(2);
    assertThat(sleeps).hasSize(1);
  }

  // ------------------------------------------------------------------ error kinds

  @Test
  void mapsStatusesToKinds() {
    stub.on("GET", "/v3/a", Reply.error(401, "Invalid authorization key"));
    stub.on("GET", "/v3/b", Reply.error(403, "Forbidden"));
    stub.on("POST", CHARGE, Reply.error(400, "Token not found"));
    stub.on("GET", "/v3/d", Reply.error(429, "Too many requests"));

    assertThat(failure(() -> http.get("/v3/a", Map.of())).kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(failure(() -> http.get("/v3/b", Map.of())).kind()).isEqualTo(Kind.AUTHENTICATION);
    PaymentProviderException invalid = failure(() -> http.post(CHARGE, json("token", "x")));
    assertThat(invalid.kind()).isEqualTo(Kind.INVALID_REQUEST);
    assertThat(invalid.getMessage()).contains("Token not found");
    assertThat(invalid.retryable()).isFalse();
    assertThat(failure(() -> http.get("/v3/d", Map.of())).kind()).isEqualTo(Kind.RATE_LIMITED);
    // 401, 403 and 400 are not retried; 429 is, three times.
    assertThat(stub.requests()).hasSize(6);
  }

  @Test
  void notFoundIsEmptyThroughFindAndAnErrorThroughGet() {
    assertThat(http.find(VERIFY, Map.of())).isEqualTo(Optional.empty());
    PaymentProviderException e = failure(() -> http.get(VERIFY, Map.of()));
    assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("404").contains("No transaction was found");
    assertThat(stub.requests()).hasSize(2);
  }

  @Test
  void aSuccessStatusWithoutASuccessEnvelopeIsUnknown() {
    stub.on("GET", VERIFY, Reply.of(200, "{\"status\":\"error\",\"message\":\"odd\"}"));
    stub.on("GET", "/v3/balances", Reply.of(200, "<html>"));

    assertThat(failure(() -> http.get(VERIFY, Map.of())).kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(failure(() -> http.get("/v3/balances", Map.of())).getMessage())
        .contains("not a success envelope");
  }

  @Test
  void scrubsSecretKeysFromFlutterwavesMessages() {
    stub.on("GET", VERIFY, Reply.error(401, "Invalid key " + SECRET + " and FLWSECK-abc***def-X"));

    PaymentProviderException e = failure(() -> http.get(VERIFY, Map.of()));

    assertThat(e.getMessage()).contains("[redacted key]");
    assertThat(http.toString()).doesNotContain(SECRET).contains("FLWSECK_TEST-***");
    assertThat(http.health().lastError()).doesNotContain("FLWSECK_TEST-0123");
  }

  @Test
  void refusesPathsThatAreNotV3() {
    assertThatThrownBy(() -> http.get("/v2/x", Map.of()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> http.get("/v3/../admin", Map.of()))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(stub.requests()).isEmpty();
  }

  // ------------------------------------------------------------------ the breaker

  @Test
  void theBreakerOpensAfterFailuresAndHealthSaysSo() {
    FlutterwaveHttp fragile =
        transport().maxAttempts(1).circuitBreaker(2, 50, Duration.ofSeconds(30), 1).build();
    stub.on("GET", VERIFY, Reply.error(500, "boom"));

    assertThat(fragile.health().state()).isEqualTo(FlutterwaveHttp.BreakerState.CLOSED);
    failure(() -> fragile.get(VERIFY, Map.of()));
    clock.advance(Duration.ofSeconds(1));
    failure(() -> fragile.get(VERIFY, Map.of()));

    FlutterwaveHttp.Health health = fragile.health();
    assertThat(health.state()).isEqualTo(FlutterwaveHttp.BreakerState.OPEN);
    assertThat(health.lastError()).contains("500");
    assertThat(health.lastErrorAt()).isEqualTo(Instant.parse("2026-12-03T10:00:01Z"));

    PaymentProviderException open = failure(() -> fragile.get(VERIFY, Map.of()));
    assertThat(open.kind()).isEqualTo(Kind.CIRCUIT_OPEN);
    assertThat(stub.requests()).hasSize(2);

    // After the open wait (by the injected clock) one trial call goes through and closes it.
    stub.on("GET", VERIFY, Reply.success("{}"));
    clock.advance(Duration.ofSeconds(31));
    assertThat(fragile.get(VERIFY, Map.of()).isObject()).isTrue();
    assertThat(fragile.health().state()).isEqualTo(FlutterwaveHttp.BreakerState.CLOSED);
  }

  @Test
  void clientErrorsDoNotOpenTheBreaker() {
    FlutterwaveHttp fragile =
        transport().maxAttempts(1).circuitBreaker(2, 50, Duration.ofSeconds(30), 1).build();
    stub.on("POST", CHARGE, Reply.error(400, "Token not found"));

    for (int i = 0; i < 4; i++) {
      assertThat(failure(() -> fragile.post(CHARGE, json("token", "x"))).kind())
          .isEqualTo(Kind.INVALID_REQUEST);
    }
    assertThat(fragile.health().state()).isEqualTo(FlutterwaveHttp.BreakerState.CLOSED);
    assertThat(fragile.health().lastError()).isNull();
  }

  // ------------------------------------------------------------------ configuration

  @Test
  void checksItsSettings() {
    FlutterwaveHttp.Builder b = transport();
    assertThatThrownBy(() -> b.baseUri(URI.create("http://example.com")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.baseUri(URI.create("https://example.com/v3")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.connectTimeout(Duration.ofHours(1)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.maxAttempts(0)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.circuitBreaker(0, 50, Duration.ofSeconds(1), 1))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.circuitBreaker(5, 0, Duration.ofSeconds(1), 1))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(b.baseUri(URI.create("https://api.flutterwave.com")).build().baseUri())
        .isEqualTo(URI.create("https://api.flutterwave.com"));
  }

  // ------------------------------------------------------------------ more failures

  @Test
  void aBreakerThatOpensDuringRetriesEndsTheCallWithTheLastFailure() {
    FlutterwaveHttp fragile = transport().circuitBreaker(2, 50, Duration.ofSeconds(30), 1).build();
    stub.on("GET", VERIFY, Reply.error(500, "boom"));

    PaymentProviderException e = failure(() -> fragile.get(VERIFY, Map.of()));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("500");
    assertThat(stub.requests()).hasSize(2);
    assertThat(fragile.health().state()).isEqualTo(FlutterwaveHttp.BreakerState.OPEN);
  }

  @Test
  void aHalfOpenBreakerNeedsAllItsTrialCalls() {
    FlutterwaveHttp fragile =
        transport().maxAttempts(1).circuitBreaker(2, 50, Duration.ofSeconds(30), 2).build();
    stub.on("GET", VERIFY, Reply.error(500, "boom"), Reply.error(500, "boom"), Reply.success("{}"));
    failure(() -> fragile.get(VERIFY, Map.of()));
    failure(() -> fragile.get(VERIFY, Map.of()));

    clock.advance(Duration.ofSeconds(31));
    fragile.get(VERIFY, Map.of());

    assertThat(fragile.health().state()).isEqualTo(FlutterwaveHttp.BreakerState.HALF_OPEN);
  }

  @Test
  void anInterruptedWaitEndsTheCall() {
    FlutterwaveHttp interrupted =
        transport()
            .sleeper(
                d -> {
                  throw new InterruptedException();
                })
            .build();
    stub.on("GET", VERIFY, Reply.error(503, "busy"));

    PaymentProviderException e = failure(() -> interrupted.get(VERIFY, Map.of()));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(Thread.interrupted()).isTrue();
    assertThat(stub.requests()).hasSize(1);
  }

  @Test
  void anInterruptedSendHasAnUnknownOutcome() {
    stub.on("POST", CHARGE, Reply.success("{}"));
    Thread.currentThread().interrupt();

    PaymentProviderException e = failure(() -> http.post(CHARGE, json("token", "x")));

    assertThat(Thread.interrupted()).isTrue();
    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("interrupted").contains("unknown");
  }

  @Test
  void aRefusedConnectionIsUnavailable() throws Exception {
    int port;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    FlutterwaveHttp nowhere =
        transport().baseUri(URI.create("http://127.0.0.1:" + port)).maxAttempts(2).build();

    PaymentProviderException e = failure(() -> nowhere.get(VERIFY, Map.of()));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("could not connect").contains("try again later");
    assertThat(nowhere.health().lastError()).contains("could not connect");
  }

  @Test
  void errorsWithoutAMessageAndLongMessages() {
    stub.on("GET", "/v3/a", Reply.of(502, ""), Reply.success("{}"));
    stub.on("GET", "/v3/b", Reply.of(400, "<html>oops</html>"));
    stub.on("GET", "/v3/c", Reply.error(400, "x".repeat(800)));
    assertThat(http.get("/v3/a", Map.of()).isObject()).isTrue();

    assertThat(failure(() -> http.get("/v3/b", Map.of())).getMessage())
        .endsWith("GET /v3/b answered 400");
    assertThat(failure(() -> http.get("/v3/c", Map.of())).getMessage())
        .contains("x".repeat(500) + "...")
        .doesNotContain("x".repeat(501));
  }

  @Test
  void takesAClientOfItsOwn() {
    FlutterwaveHttp own = transport().httpClient(java.net.http.HttpClient.newHttpClient()).build();
    stub.on("GET", VERIFY, Reply.success("{\"id\":9}"));

    assertThat(own.get(VERIFY, Map.of()).get("id").asInt()).isEqualTo(9);
  }

  @Test
  void refusesMoreSettings() {
    FlutterwaveHttp.Builder b = transport();
    assertThatThrownBy(() -> b.baseUri(URI.create("//host-only")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.baseUri(URI.create("https://u:p@api.example")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.backoff(Duration.ofSeconds(1), Duration.ofMinutes(2)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.circuitBreaker(1001, 50, Duration.ofSeconds(1), 1))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.circuitBreaker(5, 101, Duration.ofSeconds(1), 1))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.circuitBreaker(5, 50, Duration.ofSeconds(1), 0))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.circuitBreaker(5, 50, Duration.ofSeconds(1), 101))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.maxAttempts(11)).isInstanceOf(InvalidRequestException.class);
    assertThat(
            b.connectTimeout(Duration.ofSeconds(3))
                .baseUri(URI.create("http://localhost:1"))
                .build()
                .baseUri())
        .isEqualTo(URI.create("http://localhost:1"));
  }

  @Test
  void oddBodies() {
    stub.on("GET", "/v3/a", Reply.of(400, "{\"status\":\"error\",\"message\":5}"));
    stub.on("GET", "/v3/b", Reply.of(200, "[1]"));
    stub.on("GET", "/v3/c", Reply.of(200, "{\"status\":\"success\"}"));
    stub.on("GET", "/v3/d", Reply.of(204, ""));

    assertThat(failure(() -> http.get("/v3/a", Map.of())).getMessage())
        .endsWith("GET /v3/a answered 400");
    assertThat(failure(() -> http.get("/v3/b", Map.of())).kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(failure(() -> http.get("/v3/c", Map.of())).kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(failure(() -> http.get("/v3/d", Map.of())).kind()).isEqualTo(Kind.UNKNOWN);
  }

  @Test
  void baseUris() {
    assertThat(FlutterwaveHttp.checkBaseUri(URI.create("http://localhost:8080/")))
        .isEqualTo(URI.create("http://localhost:8080/"));
    assertThat(FlutterwaveHttp.checkBaseUri(URI.create("http://[::1]:8080")))
        .isEqualTo(URI.create("http://[::1]:8080"));
    for (String refused :
        List.of(
            "ftp://api.example",
            "https://api.example?x=1",
            "https://api.example#f",
            "http://10.0.0.1",
            "https://api.example/v3")) {
      assertThatThrownBy(() -> FlutterwaveHttp.checkBaseUri(URI.create(refused)))
          .as(refused)
          .isInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  void aSecondReaderCannotReplaceTheSecretsOwn() {
    SecretAccess.registerKeys(k -> "FLWSECK-evil");
    SecretAccess.registerHashes(h -> "evil");
    stub.on("GET", VERIFY, Reply.success("{}"));

    http.get(VERIFY, Map.of());

    assertThat(stub.requests().get(0).header("Authorization")).contains("Bearer " + SECRET);
    assertThat(SecretAccess.hash(dev.billingsdk.flutterwave.FlutterwaveSecretHash.of("h1")))
        .isEqualTo("h1");
  }
}
