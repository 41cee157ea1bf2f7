package dev.billingsdk.stripe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billingsdk.payment.PaymentProviderException;
import dev.billingsdk.payment.PaymentProviderException.Kind;
import dev.billingsdk.stripe.StripeApiKey;
import dev.billingsdk.stripe.testing.FakeStripe;
import dev.billingsdk.stripe.testing.Fault;
import dev.billingsdk.stripe.testing.MutableClock;
import dev.billingsdk.stripe.testing.ReceivedRequest;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StripeHttpTest {
  static final String SECRET = "sk_test_TransportSecret4242";
  static final String IDEMPOTENCY_KEY = "purchase-42-checkout";

  static final Map<String, Object> CHECKOUT =
      Map.of(
          "mode", "payment",
          "success_url", "https://shop.example/done",
          "cancel_url", "https://shop.example/cancel",
          "client_reference_id", "purchase-42",
          "metadata", Map.of("purchase_id", "purchase-42"),
          "line_items",
              List.of(
                  Map.of(
                      "quantity",
                      2,
                      "price_data",
                      Map.of(
                          "currency",
                          "usd",
                          "unit_amount",
                          1999,
                          "product_data",
                          Map.of("name", "1000 credits")))));

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
  final List<Duration> sleeps = new ArrayList<>();
  FakeStripe fake;
  StripeHttp http;

  @BeforeEach
  void start() {
    fake = FakeStripe.builder().secretKey(SECRET).clock(clock).start();
    http = transport(fake.baseUri()).build();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  StripeHttp.Builder transport(URI base) {
    return StripeHttp.builder(StripeApiKey.of(SECRET))
        .baseUri(base)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .random(() -> 0.5)
        .sleeper(sleeps::add)
        .clock(clock)
        .requestTimeout(Duration.ofSeconds(5));
  }

  static String error(String type, String code, String message) {
    return "{\"error\":{\"type\":\""
        + type
        + "\""
        + (code == null ? "" : ",\"code\":\"" + code + "\"")
        + ",\"message\":\""
        + message
        + "\"}}";
  }

  PaymentProviderException failure(Runnable call) {
    PaymentProviderException e = catchThrowableOfType(PaymentProviderException.class, call::run);
    assertThat(e).as("a PaymentProviderException").isNotNull();
    assertThat(e.provider()).isEqualTo("stripe");
    assertSecretAbsent(e);
    return e;
  }

  static void assertSecretAbsent(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET).doesNotContain("4242");
      assertThat(t.toString()).doesNotContain(SECRET);
    }
  }

  // ------------------------------------------------------------------ what is sent

  @Test
  void postsTheFormWithStripesHeadersAndAnswersTheJson() {
    JsonNode session = http.post("/v1/checkout/sessions", CHECKOUT, IDEMPOTENCY_KEY);

    assertThat(session.get("id").asText()).startsWith("cs_test_");
    assertThat(session.get("amount_total").asLong()).isEqualTo(3998);
    ReceivedRequest sent = fake.requests().get(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/checkout/sessions");
    assertThat(sent.header("Authorization")).contains("Bearer " + SECRET);
    assertThat(sent.header("Stripe-Version")).contains(StripeHttp.API_VERSION);
    assertThat(sent.header("Content-Type")).contains("application/x-www-form-urlencoded");
    assertThat(sent.header("Accept")).contains("application/json");
    assertThat(sent.header("Idempotency-Key")).contains(IDEMPOTENCY_KEY);
    assertThat(sent.body()).isEqualTo(FormCodec.encode(CHECKOUT));
    assertThat(sent.param("line_items[0][price_data][unit_amount]")).contains("1999");
    assertThat(sleeps).isEmpty();
  }

  @Test
  void getsWithAQueryStringAndNoIdempotencyKey() {
    String id = http.post("/v1/checkout/sessions", CHECKOUT, IDEMPOTENCY_KEY).get("id").asText();
    fake.pay(id);
    fake.clearRequests();

    JsonNode session =
        http.get("/v1/checkout/sessions/" + id, Map.of("expand", List.of("payment_intent")));

    assertThat(session.path("payment_intent").path("status").asText()).isEqualTo("succeeded");
    ReceivedRequest sent = fake.requests().get(0);
    assertThat(sent.method()).isEqualTo("GET");
    assertThat(sent.params()).containsExactly(Map.entry("expand[0]", "payment_intent"));
    assertThat(sent.header("Idempotency-Key")).isEmpty();
    assertThat(sent.header("Stripe-Version")).contains(StripeHttp.API_VERSION);
    assertThat(http.get("/v1/balance").get("object").asText()).isEqualTo("balance");
  }

  @Test
  void theSameKeyAndParametersReplayTheFirstAnswer() {
    JsonNode first = http.post("/v1/checkout/sessions", CHECKOUT, IDEMPOTENCY_KEY);
    JsonNode again = http.post("/v1/checkout/sessions", CHECKOUT, IDEMPOTENCY_KEY);

    assertThat(again).isEqualTo(first);
    assertThat(fake.session(first.get("id").asText())).isPresent();
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void theSameKeyWithOtherParametersIsAnIdempotencyConflict() {
    http.post("/v1/checkout/sessions", CHECKOUT, IDEMPOTENCY_KEY);
    Map<String, Object> other = new java.util.HashMap<>(CHECKOUT);
    other.put("client_reference_id", "purchase-43");

    PaymentProviderException e =
        failure(() -> http.post("/v1/checkout/sessions", other, IDEMPOTENCY_KEY));

    assertThat(e.kind()).isEqualTo(Kind.IDEMPOTENCY_CONFLICT);
    assertThat(e.requestId()).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    assertThat(e.getCause()).isInstanceOf(StripeError.class);
    assertThat(((StripeError) e.getCause()).type()).isEqualTo("idempotency_error");
    assertThat(fake.requests()).hasSize(2);
    assertThat(sleeps).isEmpty();
  }

  // ------------------------------------------------------------------ retries

  @Test
  void a429IsRetriedWithTheSameKeyAndBody() {
    fake.failNext(429, error("invalid_request_error", "rate_limit", "Too many requests"));

    JsonNode session = http.post("/v1/checkout/sessions", CHECKOUT, IDEMPOTENCY_KEY);

    assertThat(session.get("object").asText()).isEqualTo("checkout.session");
    List<ReceivedRequest> sent = fake.requests();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).header("Idempotency-Key"))
        .isEqualTo(sent.get(0).header("Idempotency-Key"));
    assertThat(sent.get(1).body()).isEqualTo(sent.get(0).body());
    assertThat(sleeps).containsExactly(Duration.ofMillis(75));
  }

  @Test
  void fiveHundredsAreRetriedUntilTheAttemptsRunOut() {
    for (int i = 0; i < 3; i++) {
      fake.failNext(500, error("api_error", null, "Something went wrong"));
    }

    PaymentProviderException e =
        failure(() -> http.post("/v1/checkout/sessions", CHECKOUT, IDEMPOTENCY_KEY));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage())
        .contains("answered 500 api_error")
        .contains("after 3 attempts")
        .contains("retry later with the same idempotency key");
    assertThat(fake.requests()).hasSize(3);
    assertThat(fake.requests())
        .extracting(r -> r.header("Idempotency-Key").orElseThrow())
        .containsOnly(IDEMPOTENCY_KEY);
    assertThat(sleeps).containsExactly(Duration.ofMillis(75), Duration.ofMillis(150));
  }

  @Test
  void stripeShouldRetryFalseForbidsARetry() {
    fake.inject(
        Fault.status(500, error("api_error", null, "cached"))
            .withHeader("Stripe-Should-Retry", "false"));

    PaymentProviderException e = failure(() -> http.get("/v1/balance"));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(fake.requests()).hasSize(1);
    assertThat(((StripeError) e.getCause()).shouldRetry()).isEqualTo("false");
  }

  @Test
  void stripeShouldRetryTrueForcesARetry() {
    fake.inject(
        Fault.status(400, error("invalid_request_error", null, "try again"))
            .withHeader("Stripe-Should-Retry", "True"));

    assertThat(http.get("/v1/balance").get("object").asText()).isEqualTo("balance");
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void anUnreadableStripeShouldRetryFallsBackToTheStatus() {
    fake.inject(Fault.status(503, "").withHeader("Stripe-Should-Retry", "maybe"));

    assertThat(http.get("/v1/balance").get("object").asText()).isEqualTo("balance");
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void a400IsNotRetried() {
    PaymentProviderException e =
        failure(() -> http.post("/v1/checkout/sessions", Map.of("mode", "payment"), "k-400"));

    assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
    assertThat(e.providerCode()).isEmpty();
    assertThat(e.getMessage())
        .contains("answered 400 invalid_request_error")
        .contains("line_items");
    assertThat(fake.requests()).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aMissingParameterCarriesStripesCode() {
    PaymentProviderException e =
        failure(() -> http.post("/v1/checkout/sessions", Map.of("currency", "usd"), "k-400"));

    assertThat(e.providerCode()).contains("parameter_missing");
    StripeError error = (StripeError) e.getCause();
    assertThat(error.param()).isEqualTo("mode");
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.requestId()).isEqualTo(e.requestId().orElseThrow());
  }

  @Test
  void aConflictWhileTheKeyIsInUseIsRetried() {
    fake.failNext(409, error("idempotency_error", "idempotency_key_in_use", "in progress"));

    http.post("/v1/checkout/sessions", CHECKOUT, IDEMPOTENCY_KEY);

    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void aConflictThatStaysInUseIsUnavailable() {
    for (int i = 0; i < 3; i++) {
      fake.failNext(409, error("invalid_request_error", "lock_timeout", "locked"));
    }

    assertThat(
            failure(() -> http.post("/v1/refunds", Map.of("payment_intent", "pi_x"), "k")).kind())
        .isEqualTo(Kind.UNAVAILABLE);
    assertThat(fake.requests()).hasSize(3);
  }

  @Test
  void aLockTimeout429IsRateLimitedOnceTheRetriesRunOut() {
    for (int i = 0; i < 3; i++) {
      fake.failNext(429, error("invalid_request_error", "lock_timeout", "locked"));
    }

    PaymentProviderException e = failure(() -> http.get("/v1/balance"));

    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.providerCode()).contains("lock_timeout");
  }

  @Test
  void other409sAndOtherStatusesAreNotRetried() {
    fake.failNext(409, error("idempotency_error", null, "mismatch"));
    assertThat(failure(() -> http.get("/v1/balance")).kind()).isEqualTo(Kind.IDEMPOTENCY_CONFLICT);
    fake.failNext(409, error("invalid_request_error", "something_else", "conflict"));
    assertThat(failure(() -> http.get("/v1/balance")).kind()).isEqualTo(Kind.INVALID_REQUEST);
    fake.failNext(424, "{\"error\":{\"message\":\"a dependency failed\"}}");
    assertThat(failure(() -> http.get("/v1/balance")).kind()).isEqualTo(Kind.UNKNOWN);
    fake.failNext(418, "teapot");
    PaymentProviderException teapot = failure(() -> http.get("/v1/balance"));
    assertThat(teapot.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(teapot.getMessage()).contains("answered 418");
    assertThat(fake.requests()).hasSize(4);
  }

  @Test
  void a429ThatPersistsIsRateLimited() {
    for (int i = 0; i < 3; i++) {
      fake.failNext(429, error("invalid_request_error", "rate_limit", "slow down"));
    }

    PaymentProviderException e = failure(() -> http.get("/v1/balance"));

    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.retryable()).isTrue();
    assertThat(http.health().lastError()).contains("429");
  }

  @Test
  void aDroppedConnectionIsRetried() {
    fake.inject(Fault.dropConnection());

    assertThat(http.post("/v1/checkout/sessions", CHECKOUT, IDEMPOTENCY_KEY).get("id").asText())
        .startsWith("cs_test_");
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void aSuccessWithoutJsonIsUnknownAndNotRetried() {
    fake.failNext(200, "<html>proxy</html>");

    PaymentProviderException e = failure(() -> http.get("/v1/balance"));

    assertThat(e.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(e.getMessage()).contains("the body is not a JSON object");
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void aServerErrorWithoutJsonIsRetried() {
    fake.failNext(502, "Bad Gateway");

    assertThat(http.get("/v1/balance").get("object").asText()).isEqualTo("balance");
  }

  @Test
  void backoffDoublesUpToTheCapWithJitter() {
    StripeHttp low = transport(fake.baseUri()).random(() -> 0.0).build();
    StripeHttp high = transport(fake.baseUri()).random(() -> 1.5).build();

    assertThat(low.backoff(1)).isEqualTo(Duration.ofMillis(50));
    assertThat(low.backoff(4)).isEqualTo(Duration.ofMillis(400));
    assertThat(low.backoff(5)).isEqualTo(Duration.ofMillis(500));
    assertThat(high.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(high.backoff(40)).isEqualTo(Duration.ofSeconds(1));
    assertThat(high.backoff(30)).isEqualTo(Duration.ofSeconds(1));
  }

  // ------------------------------------------------------------------ Stripe's errors

  @Test
  void aDeclinedCardIsDeclinedWithItsCodes() {
    fake.declineCard("pm_card_visa", "insufficient_funds");

    PaymentProviderException e =
        failure(
            () ->
                http.post(
                    "/v1/payment_intents",
                    Map.of(
                        "amount",
                        500,
                        "currency",
                        "usd",
                        "customer",
                        "cus_1",
                        "payment_method",
                        "pm_card_visa",
                        "confirm",
                        true,
                        "off_session",
                        true),
                    "topup-1"));

    assertThat(e.kind()).isEqualTo(Kind.DECLINED);
    assertThat(e.retryable()).isFalse();
    assertThat(e.providerCode()).contains("card_declined");
    assertThat(e.getMessage())
        .contains("answered 402 card_error (code card_declined, decline_code insufficient_funds)")
        .contains("Your card was declined.");
    assertThat(((StripeError) e.getCause()).declineCode()).isEqualTo("insufficient_funds");
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void anOffSessionPaymentThatNeedsTheCustomerCarriesThePaymentIntent() {
    fake.requireAuthentication("pm_3ds");

    PaymentProviderException e =
        failure(
            () ->
                http.post(
                    "/v1/payment_intents",
                    Map.of(
                        "amount",
                        500,
                        "currency",
                        "eur",
                        "payment_method",
                        "pm_3ds",
                        "confirm",
                        true,
                        "off_session",
                        true),
                    "topup-2"));

    assertThat(e.kind()).isEqualTo(Kind.DECLINED);
    assertThat(e.providerCode()).contains("authentication_required");
    String intent = ((StripeError) e.getCause()).paymentIntentId();
    assertThat(intent).startsWith("pi_");
    assertThat(fake.paymentIntent(intent).orElseThrow()).contains("requires_payment_method");
  }

  @Test
  void aWrongKeyIsAnAuthenticationFailureThatNeverShowsTheKey() {
    StripeHttp wrong =
        StripeHttp.builder(StripeApiKey.of("sk_test_WrongSecret9876"))
            .baseUri(fake.baseUri())
            .sleeper(sleeps::add)
            .build();

    PaymentProviderException e = failure(() -> wrong.get("/v1/balance"));

    assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(e.getMessage()).contains("[redacted key]").doesNotContain("9876");
    assertThat(e.getMessage()).doesNotContain("WrongSecret");
    assertThat(wrong.health().lastError()).doesNotContain("9876");
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void forbiddenIsAnAuthenticationFailure() {
    fake.failNext(
        403,
        error("invalid_request_error", null, "The provided key 'rk_live_abcd' lacks permission"));

    PaymentProviderException e = failure(() -> http.get("/v1/balance"));

    assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(e.getMessage()).doesNotContain("rk_live_abcd");
  }

  @Test
  void anUnknownObjectIsAnInvalidRequest() {
    PaymentProviderException e = failure(() -> http.get("/v1/checkout/sessions/cs_test_nope"));

    assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
    assertThat(e.providerCode()).contains("resource_missing");
  }

  // ------------------------------------------------------------------ the network

  @Test
  void aRefusedConnectionIsUnavailableAfterTheRetries() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    StripeHttp nowhere = transport(URI.create("http://127.0.0.1:" + port)).build();

    PaymentProviderException e =
        failure(() -> nowhere.post("/v1/checkout/sessions", CHECKOUT, IDEMPOTENCY_KEY));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getCause()).isInstanceOf(ConnectException.class);
    assertThat(e.getMessage()).contains("could not connect").contains("after 3 attempts");
    assertThat(e.requestId()).isEmpty();
    assertThat(sleeps).hasSize(2);
    assertThat(nowhere.health().lastErrorAt()).isEqualTo(clock.instant());
  }

  @Test
  void aSlowAnswerTimesOutAndTheRetrySucceeds() {
    fake.inject(Fault.delay(Duration.ofSeconds(10)));
    StripeHttp impatient = transport(fake.baseUri()).requestTimeout(Duration.ofMillis(300)).build();

    assertThat(impatient.get("/v1/balance").get("object").asText()).isEqualTo("balance");
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void aTimeoutWithoutRetriesIsUnavailable() {
    fake.inject(Fault.delay(Duration.ofSeconds(10)));
    StripeHttp impatient =
        transport(fake.baseUri()).requestTimeout(Duration.ofMillis(300)).maxAttempts(1).build();

    PaymentProviderException e =
        failure(() -> impatient.post("/v1/checkout/sessions", CHECKOUT, IDEMPOTENCY_KEY));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
    assertThat(e.getMessage()).contains("timed out").doesNotContain("attempts");
  }

  @Test
  void anInterruptedCallIsUnavailableAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      PaymentProviderException e = failure(() -> http.get("/v1/balance"));
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.getMessage()).contains("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void anInterruptedWaitEndsTheCallWithTheFailure() {
    StripeHttp interrupted =
        transport(fake.baseUri())
            .sleeper(
                d -> {
                  throw new InterruptedException();
                })
            .build();
    fake.failNext(500, error("api_error", null, "boom"));
    try {
      PaymentProviderException e = failure(() -> interrupted.get("/v1/balance"));
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void aHostsOwnClientCanBeUsed() {
    StripeHttp custom = transport(fake.baseUri()).httpClient(HttpClient.newHttpClient()).build();

    assertThat(custom.get("/v1/balance").get("object").asText()).isEqualTo("balance");
  }

  // ------------------------------------------------------------------ the circuit breaker

  @Test
  void theBreakerOpensAfterFailuresFailsFastAndRecoversHalfOpen() {
    StripeHttp guarded =
        transport(fake.baseUri())
            .maxAttempts(1)
            .circuitBreaker(3, 100, Duration.ofSeconds(30), 1)
            .build();
    assertThat(guarded.health())
        .isEqualTo(new StripeHttp.Health(StripeHttp.BreakerState.CLOSED, null, null));
    for (int i = 0; i < 3; i++) {
      fake.failNext(503, error("api_error", null, "down"));
      assertThat(failure(() -> guarded.get("/v1/balance")).kind()).isEqualTo(Kind.UNAVAILABLE);
    }
    Instant failedAt = clock.instant();
    clock.advance(Duration.ofSeconds(1));

    PaymentProviderException open = failure(() -> guarded.get("/v1/balance"));

    assertThat(open.kind()).isEqualTo(Kind.CIRCUIT_OPEN);
    assertThat(open.retryable()).isTrue();
    assertThat(fake.requests()).hasSize(3);
    StripeHttp.Health health = guarded.health();
    assertThat(health.state()).isEqualTo(StripeHttp.BreakerState.OPEN);
    assertThat(health.lastError()).contains("answered 503");
    assertThat(health.lastErrorAt()).isEqualTo(failedAt);

    clock.advance(Duration.ofSeconds(30));
    fake.failNext(500, error("api_error", null, "still down"));
    assertThat(failure(() -> guarded.get("/v1/balance")).kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(guarded.health().state()).isEqualTo(StripeHttp.BreakerState.OPEN);
    assertThat(failure(() -> guarded.get("/v1/balance")).kind()).isEqualTo(Kind.CIRCUIT_OPEN);

    clock.advance(Duration.ofSeconds(31));
    assertThat(guarded.get("/v1/balance").get("object").asText()).isEqualTo("balance");
    assertThat(guarded.health().state()).isEqualTo(StripeHttp.BreakerState.CLOSED);
    assertThat(fake.requests()).hasSize(5);
  }

  @Test
  void theBreakerHalfOpensWhenMoreTrialCallsAreAllowed() {
    StripeHttp guarded =
        transport(fake.baseUri())
            .maxAttempts(1)
            .circuitBreaker(2, 100, Duration.ofSeconds(5), 2)
            .build();
    for (int i = 0; i < 2; i++) {
      fake.failNext(500, error("api_error", null, "down"));
      failure(() -> guarded.get("/v1/balance"));
    }
    clock.advance(Duration.ofSeconds(6));

    guarded.get("/v1/balance");

    assertThat(guarded.health().state()).isEqualTo(StripeHttp.BreakerState.HALF_OPEN);
  }

  @Test
  void aBreakerThatOpensDuringRetriesEndsTheCallWithTheLastFailure() {
    StripeHttp guarded =
        transport(fake.baseUri()).circuitBreaker(2, 100, Duration.ofSeconds(30), 1).build();
    for (int i = 0; i < 3; i++) {
      fake.failNext(500, error("api_error", null, "down"));
    }

    PaymentProviderException e =
        failure(() -> guarded.post("/v1/checkout/sessions", CHECKOUT, IDEMPOTENCY_KEY));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void declinesAndBadRequestsDoNotOpenTheBreaker() {
    StripeHttp guarded =
        transport(fake.baseUri()).circuitBreaker(2, 50, Duration.ofSeconds(30), 1).build();
    for (int i = 0; i < 4; i++) {
      String key = "k" + i;
      failure(() -> guarded.post("/v1/checkout/sessions", Map.of("mode", "payment"), key));
    }

    assertThat(guarded.health())
        .isEqualTo(new StripeHttp.Health(StripeHttp.BreakerState.CLOSED, null, null));
  }

  // ------------------------------------------------------------------ refusals before sending

  @Test
  void everyPostNeedsAValidIdempotencyKey() {
    assertThatThrownBy(() -> http.post("/v1/refunds", Map.of(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("idempotencyKey");
    assertThatThrownBy(() -> http.post("/v1/refunds", Map.of(), " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> http.post("/v1/refunds", Map.of(), "k".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256");
    assertThatThrownBy(() -> http.post("/v1/refunds", Map.of(), "clé"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> http.post("/v1/refunds", Map.of(), "a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(fake.requests()).isEmpty();
    http.post("/v1/checkout/sessions", CHECKOUT, "k".repeat(255));
  }

  @Test
  void pathsAreStripeV1Paths() {
    for (String bad :
        List.of(
            "/v2/core/events",
            "v1/balance",
            "/v1/",
            "/v1/../admin",
            "/v1/a?b=c",
            "/v1/a b",
            "/v1/..")) {
      assertThatThrownBy(() -> http.get(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> http.get(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void theBuilderRefusesUnsafeOrNonsensicalSettings() {
    StripeHttp.Builder b = StripeHttp.builder(StripeApiKey.of(SECRET));
    for (String bad :
        List.of(
            "http://api.stripe.com",
            "ftp://127.0.0.1",
            "https://api.stripe.com/v1",
            "https://api.stripe.com?x=1",
            "https://api.stripe.com#f",
            "https://user@api.stripe.com",
            "/relative")) {
      assertThatThrownBy(() -> b.baseUri(URI.create(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    b.baseUri(URI.create("https://api.stripe.com/"));
    b.baseUri(URI.create("http://localhost:12111"));
    b.baseUri(URI.create("http://[::1]:12111"));
    assertThatThrownBy(() -> b.maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxAttempts(11)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requestTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.circuitBreaker(0, 50, Duration.ofSeconds(1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.circuitBreaker(5, 0, Duration.ofSeconds(1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.circuitBreaker(5, 101, Duration.ofSeconds(1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.circuitBreaker(5, 50, Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
    StripeHttp defaults =
        StripeHttp.builder(StripeApiKey.of(SECRET)).connectTimeout(Duration.ofSeconds(3)).build();
    assertThat(defaults.baseUri()).isEqualTo(StripeHttp.DEFAULT_BASE_URI);
    assertThat(defaults.maxAttempts()).isEqualTo(3);
    assertThat(defaults.toString())
        .doesNotContain(SECRET)
        .contains("sk_test_***")
        .contains(StripeHttp.API_VERSION);
  }

  @Test
  void scrubRemovesAnythingShapedLikeAKeyAndCutsLongText() {
    assertThat(
            StripeHttp.scrub(
                "Invalid API Key provided: sk_live_****abcd; also pk_test_x1 and rk_test_Y"))
        .isEqualTo(
            "Invalid API Key provided: [redacted key]; also [redacted key] and [redacted key]");
    assertThat(StripeHttp.scrub("x".repeat(600))).hasSize(503).endsWith("...");
  }

  @Test
  void theSecretAppearsInNoFailureOfAnyKind() {
    fake.failNext(500, error("api_error", null, "echo " + SECRET));
    fake.failNext(500, error("api_error", null, "echo " + SECRET));
    fake.failNext(500, error("api_error", null, "echo " + SECRET));
    List<Throwable> failures = new ArrayList<>();
    failures.add(failure(() -> http.get("/v1/balance")));
    failures.add(failure(() -> http.post("/v1/checkout/sessions", Map.of(), "k")));
    fake.declineCard("pm_x", "do_not_honor");
    failures.add(
        failure(
            () ->
                http.post(
                    "/v1/payment_intents",
                    Map.of(
                        "amount", 1, "currency", "usd", "payment_method", "pm_x", "confirm", true),
                    "k2")));
    failures.add(
        catchThrowableOfType(
            IllegalArgumentException.class, () -> http.post("/v1/x", Map.of(), "\n")));
    failures.forEach(StripeHttpTest::assertSecretAbsent);
    assertThat(http.health().lastError()).doesNotContain(SECRET);
    assertThat(http.toString()).doesNotContain(SECRET);
    assertThat(StripeApiKey.of(SECRET).toString()).doesNotContain(SECRET);
  }
}
