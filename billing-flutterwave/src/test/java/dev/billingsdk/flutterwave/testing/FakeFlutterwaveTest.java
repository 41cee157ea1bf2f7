package dev.billingsdk.flutterwave.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FakeFlutterwave on the wire, through the JDK's HTTP client and Jackson: what an adapter sees. */
class FakeFlutterwaveTest extends FakeFlutterwaveHarness {
  // ------------------------------------------------------------------ keys and authentication

  @Test
  void startsWithRandomTestKeyAndHash() {
    try (FakeFlutterwave other = FakeFlutterwave.start(clock)) {
      assertThat(fake.secretKey()).matches("FLWSECK_TEST-[0-9a-f]{32}-X");
      assertThat(other.secretKey()).isNotEqualTo(fake.secretKey());
      assertThat(fake.secretHash()).isNotBlank().isNotEqualTo(other.secretHash());
      assertThat(fake.baseUri().toString()).startsWith("http://127.0.0.1:");
    }
  }

  @Test
  void builderChoosesKeyAndHash() {
    try (FakeFlutterwave chosen =
        FakeFlutterwave.builder()
            .secretKey("FLWSECK_TEST-0123456789abcdef0123456789abcdef-X")
            .secretHash("my-hash")
            .clock(clock)
            .seed(3)
            .start()) {
      assertThat(chosen.secretKey()).isEqualTo("FLWSECK_TEST-0123456789abcdef0123456789abcdef-X");
      assertThat(chosen.secretHash()).isEqualTo("my-hash");
      assertThat(chosen.webhookWithBody("{}").verifHash()).contains("my-hash");
    }
    assertThatThrownBy(() -> FakeFlutterwave.builder().secretKey("has space"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeFlutterwave.builder().secretHash(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wrongOrMissingKeyIs401() {
    Answer missing =
        send(HttpRequest.newBuilder(fake.baseUri().resolve("/v3/balances")).GET().build());
    assertError(missing, 401, "Invalid authorization key");
    Answer wrong =
        send(
            HttpRequest.newBuilder(fake.baseUri().resolve("/v3/balances"))
                .header("Authorization", "Bearer FLWSECK_TEST-00000000000000000000000000000000-X")
                .GET()
                .build());
    assertError(wrong, 401, "Invalid authorization key");
    Answer basic =
        send(
            HttpRequest.newBuilder(fake.baseUri().resolve("/v3/balances"))
                .header("Authorization", "Basic " + fake.secretKey())
                .GET()
                .build());
    assertError(basic, 401, "Invalid authorization key");
    Answer noPayment = post("/v3/payments", link("p-1", "45", "NGN"));
    assertThat(noPayment.status()).isEqualTo(200);
  }

  @Test
  void unknownRouteIs404() {
    Answer answer = get("/v3/nothing");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.json().get("status").asText()).isEqualTo("error");
  }

  // ------------------------------------------------------------------ payment links

  @Test
  void createsHostedLink() {
    Answer answer = createLink("p-123");
    assertThat(answer.json().get("status").asText()).isEqualTo("success");
    assertThat(answer.json().get("message").asText()).isEqualTo("Hosted Link");
    String link = answer.data().get("link").asText();
    assertThat(link).matches(fake.baseUri() + "/v3/hosted/pay/[a-z0-9]+");
    assertThat(fake.link("p-123")).contains(URI.create(link));
    assertThat(fake.link("p-999")).isEmpty();
    assertThat(answer.raw().headers().firstValue("Content-Type")).contains("application/json");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"}}|tx_ref is required",
        "{\"tx_ref\":\"p\",\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"}}|amount is required",
        "{\"tx_ref\":\"p\",\"amount\":45,\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"}}|currency is required",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"NGN\",\"customer\":{\"email\":\"a@b.c\"}}|redirect_url is required",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\"}|customer.email is required",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"name\":\"Ada\"}}|customer.email is required",
        "{\"tx_ref\":\"p\",\"amount\":0,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"}}|amount must be greater than 0",
        "{\"tx_ref\":\"p\",\"amount\":-1.5,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"}}|amount must be greater than 0",
        "{\"tx_ref\":\"p\",\"amount\":\"4x\",\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"}}|amount must be a number",
        "{\"tx_ref\":\"p\",\"amount\":true,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"}}|amount must be a number",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"ngn\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"}}|currency must be three upper-case letters",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"/relative\",\"customer\":{\"email\":\"a@b.c\"}}|redirect_url must be an absolute http(s) URL",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"ftp://a.example/r\",\"customer\":{\"email\":\"a@b.c\"}}|redirect_url must be an absolute http(s) URL",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"https://a b\",\"customer\":{\"email\":\"a@b.c\"}}|redirect_url must be an absolute http(s) URL",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"nobody\"}}|customer.email must be an email address",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":\"a@b.c\"}|customer must be an object",
        "{\"tx_ref\":7,\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"}}|tx_ref must be a string",
        "{\"tx_ref\":\" \",\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"}}|tx_ref is required",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"},\"session_duration\":0}|session_duration must be between 1 and 1440",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"},\"session_duration\":1441}|session_duration must be between 1 and 1440",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"},\"session_duration\":1.5}|session_duration must be between 1 and 1440",
        "{\"tx_ref\":\"p\",\"amount\":45,\"currency\":\"NGN\",\"redirect_url\":\"https://a.example/r\",\"customer\":{\"email\":\"a@b.c\"},\"meta\":[1]}|meta must be an object",
        "[1,2]|The request body must be a JSON object",
        "{not json|The request body must be a JSON object",
      })
  void refusesAnInvalidLink(String body, String message) {
    assertError(post("/v3/payments", body), 400, message);
    assertThat(fake.link("p")).isEmpty();
  }

  @Test
  void postWithoutJsonContentTypeIs400() {
    Answer answer =
        send(
            authorized("/v3/payments")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(link("p-1", "45", "NGN")))
                .build());
    assertError(answer, 400, "Content-Type must be application/json");
    Answer none =
        send(
            authorized("/v3/payments")
                .POST(HttpRequest.BodyPublishers.ofString(link("p-1", "45", "NGN")))
                .build());
    assertThat(none.status()).isEqualTo(400);
    assertThat(fake.link("p-1")).isEmpty();
  }

  @Test
  void amountsRoundTripExactly() {
    post("/v3/payments", link("p-ngn", "1500.50", "NGN"));
    post("/v3/payments", link("p-str", "\"1500.50\"", "NGN"));
    post("/v3/payments", link("p-ugx", "5000", "UGX"));
    FakeTransaction ngn = fake.pay("p-ngn");
    FakeTransaction str = fake.pay("p-str");
    FakeTransaction ugx = fake.pay("p-ugx");
    assertThat(ngn.amount()).isEqualTo(new BigDecimal("1500.50"));
    assertThat(str.amount()).isEqualTo(new BigDecimal("1500.50"));
    assertThat(ugx.amount()).isEqualTo(new BigDecimal("5000"));

    Answer verified = get("/v3/transactions/" + ngn.id() + "/verify");
    assertThat(verified.body()).contains("\"amount\":1500.50,").doesNotContain("E+");
    assertThat(verified.data().get("amount").decimalValue()).isEqualTo(new BigDecimal("1500.50"));
    assertThat(verified.data().get("charged_amount").decimalValue())
        .isEqualTo(new BigDecimal("1500.50"));
    assertThat(verified.data().get("app_fee").decimalValue()).isEqualTo(new BigDecimal("21.01"));
    assertThat(verified.data().get("amount_settled").decimalValue())
        .isEqualTo(new BigDecimal("1479.49"));
    assertThat(get("/v3/transactions/" + ugx.id() + "/verify").body()).contains("\"amount\":5000,");
    assertThat(fake.transactionJson(ngn.id())).contains("\"amount\":1500.50");
  }

  @Test
  void expiredLinkIsRefused() {
    post(
        "/v3/payments",
        link("p-exp", "45", "NGN").replace("\"meta\"", "\"session_duration\":30,\"meta\""));
    String link = fake.link("p-exp").orElseThrow().toString();
    assertThat(send(HttpRequest.newBuilder(URI.create(link)).GET().build()).status())
        .isEqualTo(200);
    clock.advance(Duration.ofMinutes(30));
    assertThatThrownBy(() -> fake.pay("p-exp")).isInstanceOf(IllegalStateException.class);
    assertThat(send(HttpRequest.newBuilder(URI.create(link)).GET().build()).status())
        .isEqualTo(404);
  }

  // ------------------------------------------------------------------ verify

  @Test
  void verifiesPaidTransaction() {
    createLink("p-123");
    FakeTransaction paid = fake.pay("p-123");
    assertThat(paid.status()).isEqualTo("successful");
    assertThat(paid.successful()).isTrue();
    assertThat(paid.token()).startsWith("flw-t1nf-");
    assertThat(paid.paymentType()).isEqualTo("card");

    Answer answer = get("/v3/transactions/" + paid.id() + "/verify");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("status").asText()).isEqualTo("success");
    assertThat(answer.json().get("message").asText()).isEqualTo("Transaction fetched successfully");
    JsonNode data = answer.data();
    assertThat(data.get("id").isIntegralNumber()).isTrue();
    assertThat(data.get("id").asLong()).isEqualTo(paid.id());
    assertThat(data.get("tx_ref").asText()).isEqualTo("p-123");
    assertThat(data.get("status").asText()).isEqualTo("successful");
    assertThat(data.get("currency").asText()).isEqualTo("NGN");
    assertThat(data.get("flw_ref").asText()).startsWith("FLW-MOCK-");
    assertThat(data.get("created_at").asText()).isEqualTo("2026-12-03T09:00:00.000Z");
    assertThat(data.get("card").get("token").asText()).isEqualTo(paid.token());
    assertThat(data.get("customer").get("email").asText()).isEqualTo("ada@example.com");
    assertThat(data.get("customer").get("name").asText()).isEqualTo("Ada");
    assertThat(data.get("meta").get("tenant").asText()).isEqualTo("acme-ai");
    assertThat(fake.transaction(paid.id())).isEqualTo(paid);
  }

  @Test
  void transactionIdsIncreaseAndTimesFollowTheClock() {
    createLink("p-1");
    FakeTransaction first = fake.pay("p-1");
    clock.advance(Duration.ofMinutes(5));
    FakeTransaction second = fake.payAmount("p-1", new BigDecimal("10"));
    assertThat(second.id()).isGreaterThan(first.id());
    assertThat(second.amount()).isEqualTo(new BigDecimal("10"));
    assertThat(get("/v3/transactions/" + second.id() + "/verify").data().get("created_at").asText())
        .isEqualTo("2026-12-03T09:05:00.000Z");
    assertThat(fake.transactions("p-1")).containsExactly(first, second);
  }

  @Test
  void unknownTransactionIs404() {
    assertError(get("/v3/transactions/1/verify"), 404, "No transaction was found for this id");
    assertError(get("/v3/transactions/abc/verify"), 404, "No transaction was found for this id");
    assertError(
        get("/v3/transactions/verify_by_reference?tx_ref=nope"),
        404,
        "No transaction was found for this id");
    assertThatThrownBy(() -> fake.transaction(1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verifyByReferenceChoosesLatestSuccessfulElseLatest() {
    createLink("p-ref");
    FakeTransaction failed = fake.failAttempt("p-ref");
    assertThat(failed.token()).isNull();
    assertThat(get("/v3/transactions/verify_by_reference?tx_ref=p-ref").data().get("id").asLong())
        .isEqualTo(failed.id());
    FakeTransaction paid = fake.pay("p-ref");
    FakeTransaction failedAgain = fake.failAttempt("p-ref");
    Answer answer = get("/v3/transactions/verify_by_reference?tx_ref=p-ref");
    assertThat(answer.data().get("id").asLong()).isEqualTo(paid.id());
    assertThat(answer.data().get("id").asLong()).isNotEqualTo(failedAgain.id());
    assertThat(get("/v3/transactions/" + failed.id() + "/verify").data().get("status").asText())
        .isEqualTo("failed");
    assertError(get("/v3/transactions/verify_by_reference"), 400, "tx_ref is required");
  }

  @Test
  void pendingAttemptSettlesOrFails() {
    post("/v3/payments", link("p-gh", "20", "GHS"));
    FakeTransaction pending = fake.pendingAttempt("p-gh");
    assertThat(pending.status()).isEqualTo("pending");
    assertThat(pending.paymentType()).isEqualTo("mobilemoneyghana");
    assertThat(pending.token()).isNull();
    WebhookDelivery delivery = fake.webhookFor(pending.id());
    assertThat(parse(delivery.body()).get("event.type").asText())
        .isEqualTo("MOBILEMONEYGH_TRANSACTION");
    assertThat(parse(delivery.body()).get("data").has("card")).isFalse();
    FakeTransaction settled = fake.settle(pending.id());
    assertThat(settled.status()).isEqualTo("successful");
    assertThat(get("/v3/transactions/" + pending.id() + "/verify").data().get("status").asText())
        .isEqualTo("successful");
    assertThatThrownBy(() -> fake.settle(pending.id())).isInstanceOf(IllegalStateException.class);

    FakeTransaction another = fake.pendingAttempt("p-gh");
    assertThat(fake.failPending(another.id()).status()).isEqualTo("failed");
  }

  @ParameterizedTest
  @CsvSource({
    "UGX,mobilemoneyuganda,MOBILEMONEYUG_TRANSACTION",
    "RWF,mobilemoneyrwanda,MOBILEMONEYRW_TRANSACTION",
    "ZMW,mobilemoneyzambia,MOBILEMONEYZM_TRANSACTION",
    "KES,mpesa,MPESA_TRANSACTION",
    "NGN,bank_transfer,BANK_TRANSFER_TRANSACTION",
  })
  void pendingPaymentTypeFollowsCurrency(String currency, String type, String eventType) {
    post("/v3/payments", link("p-x", "100", currency));
    FakeTransaction pending = fake.pendingAttempt("p-x");
    assertThat(pending.paymentType()).isEqualTo(type);
    assertThat(parse(fake.webhookFor(pending.id()).body()).get("event.type").asText())
        .isEqualTo(eventType);
  }

  @Test
  void paysInAnotherCurrency() {
    createLink("p-usd");
    FakeTransaction usd = fake.payInCurrency("p-usd", "USD", new BigDecimal("0.03"));
    assertThat(usd.currency()).isEqualTo("USD");
    assertThat(get("/v3/transactions/" + usd.id() + "/verify").data().get("currency").asText())
        .isEqualTo("USD");
    assertThatThrownBy(() -> fake.payInCurrency("p-usd", "usd", BigDecimal.ONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fake.payAmount("p-usd", BigDecimal.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fake.pay("p-none")).isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------ faults

  @Test
  void statusFaultAnswersInsteadOfServing() {
    String body = "{\"status\":\"error\",\"message\":\"Too many requests\",\"data\":null}";
    fake.inject(Fault.status(429, body));
    assertThat(fake.pendingFaults()).isEqualTo(1);
    Answer answer = post("/v3/payments", link("p-1", "45", "NGN"));
    assertThat(answer.status()).isEqualTo(429);
    assertThat(answer.body()).isEqualTo(body);
    assertThat(fake.link("p-1")).isEmpty();
    assertThat(fake.pendingFaults()).isZero();
    assertThat(post("/v3/payments", link("p-1", "45", "NGN")).status()).isEqualTo(200);
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void dropFaultClosesTheConnection() {
    fake.inject(Fault.dropConnection());
    // A POST: the JDK client retries a GET on its own when the connection drops.
    assertThatThrownBy(() -> post("/v3/payments", link("p-1", "45", "NGN")))
        .hasCauseInstanceOf(IOException.class);
    assertThat(fake.link("p-1")).isEmpty();
    assertThat(fake.requests()).hasSize(1);
    assertThat(post("/v3/payments", link("p-1", "45", "NGN")).status()).isEqualTo(200);
  }

  @Test
  void delayFaultServesTheRequestAfterTheClientGaveUp() throws Exception {
    fake.inject(Fault.delay(Duration.ofMillis(800)));
    HttpRequest request =
        authorized("/v3/payments")
            .header("Content-Type", "application/json")
            .timeout(Duration.ofMillis(100))
            .POST(HttpRequest.BodyPublishers.ofString(link("p-slow", "45", "NGN")))
            .build();
    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    long deadline = 200;
    while (fake.link("p-slow").isEmpty() && deadline-- > 0) {
      Thread.sleep(50);
    }
    assertThat(fake.link("p-slow")).isPresent();
  }

  @Test
  void delayedRequestIsServedWhenTheClientWaits() {
    fake.inject(Fault.delay(Duration.ofMillis(50)));
    assertThat(get("/v3/balances").status()).isEqualTo(200);
  }

  @Test
  void faultsSkipTheHostedPage() {
    createLink("p-1");
    fake.inject(Fault.status(500, "{}"));
    Answer page = send(HttpRequest.newBuilder(fake.link("p-1").orElseThrow()).GET().build());
    assertThat(page.status()).isEqualTo(200);
    assertThat(fake.pendingFaults()).isEqualTo(1);
    assertThat(get("/v3/balances").status()).isEqualTo(500);
  }

  @Test
  void closeReleasesHeldRequests() throws Exception {
    fake.inject(Fault.delay(Duration.ofMinutes(5)));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> held =
          pool.submit(
              () ->
                  client.send(
                      authorized("/v3/balances").GET().build(),
                      HttpResponse.BodyHandlers.ofString()));
      for (int wait = 0; wait < 1000 && fake.requests().isEmpty(); wait++) {
        Thread.sleep(10);
      }
      assertThat(fake.requests()).hasSize(1);
      fake.close();
      fake.close();
      // Released at once (answered or cut off), not after five minutes: a TimeoutException fails.
      Object outcome;
      try {
        outcome = held.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        outcome = e.getCause();
      }
      assertThat(outcome).isNotNull();
      assertThat(held.isDone()).isTrue();
      assertThatThrownBy(() -> get("/v3/balances")).isInstanceOf(UncheckedIOException.class);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void faultsAreValidated() {
    assertThatThrownBy(() -> Fault.status(99, "{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.status(600, "{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.delay(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Fault.dropConnection()).isEqualTo(Fault.dropConnection());
  }

  // ------------------------------------------------------------------ webhooks

  @Test
  void webhookIsSignedOverItsExactBody() throws Exception {
    createLink("p-123");
    FakeTransaction paid = fake.pay("p-123");
    WebhookDelivery delivery = fake.webhookFor(paid.id());
    assertThat(delivery.headers()).containsKeys("verif-hash", "flutterwave-signature");
    assertThat(delivery.verifHash()).contains(fake.secretHash());
    assertThat(delivery.signature()).contains(hmac(delivery.body(), fake.secretHash()));
    assertThat(delivery.header("Flutterwave-Signature")).isEqualTo(delivery.signature());
    assertThat(FakeFlutterwave.signature(delivery.body(), fake.secretHash()))
        .isEqualTo(hmac(delivery.body(), fake.secretHash()));

    JsonNode event = parse(delivery.body());
    assertThat(event.get("event").asText()).isEqualTo("charge.completed");
    assertThat(event.get("event.type").asText()).isEqualTo("CARD_TRANSACTION");
    JsonNode data = event.get("data");
    assertThat(data.get("id").asLong()).isEqualTo(paid.id());
    assertThat(data.get("tx_ref").asText()).isEqualTo("p-123");
    assertThat(data.get("status").asText()).isEqualTo("successful");
    assertThat(data.get("amount").decimalValue()).isEqualTo(new BigDecimal("45"));
    assertThat(data.get("payment_type").asText()).isEqualTo("card");
    assertThat(data.get("customer").get("email").asText()).isEqualTo("ada@example.com");
    assertThat(data.get("customer").get("phone_number").isNull()).isTrue();
  }

  @Test
  void webhookVariants() throws Exception {
    createLink("p-1");
    long id = fake.pay("p-1").id();
    WebhookDelivery legacy = fake.legacyWebhookFor(id);
    assertThat(legacy.verifHash()).contains(fake.secretHash());
    assertThat(legacy.signature()).isEmpty();
    WebhookDelivery signed = fake.signedWebhookFor(id);
    assertThat(signed.verifHash()).isEmpty();
    assertThat(signed.signature()).contains(hmac(signed.body(), fake.secretHash()));
    WebhookDelivery rolled = fake.webhookFor(id, "old-hash");
    assertThat(rolled.verifHash()).contains("old-hash");
    assertThat(rolled.signature()).contains(hmac(rolled.body(), "old-hash"));
    assertThat(rolled.signature()).isNotEqualTo(signed.signature());
    assertThat(rolled.body()).isEqualTo(signed.body());
    WebhookDelivery any = fake.webhookWithBody("{\"event\":\"transfer.completed\"");
    assertThat(any.signature()).contains(hmac(any.body(), fake.secretHash()));
    assertThatThrownBy(() -> fake.webhookFor(1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeFlutterwave.signature("{}", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void webhookFollowsTheTransaction() {
    post("/v3/payments", link("p-1", "20", "GHS"));
    long id = fake.pendingAttempt("p-1").id();
    String pending = parse(fake.webhookFor(id).body()).get("data").get("status").asText();
    fake.settle(id);
    String settled = parse(fake.webhookFor(id).body()).get("data").get("status").asText();
    assertThat(pending).isEqualTo("pending");
    assertThat(settled).isEqualTo("successful");
  }

  // ------------------------------------------------------------------ the return

  @Test
  void returnQueryNamesTheTransaction() {
    createLink("p-1");
    FakeTransaction failed = fake.failAttempt("p-1");
    assertThat(fake.returnQueryFor("p-1"))
        .containsEntry("status", List.of("failed"))
        .containsEntry("transaction_id", List.of(String.valueOf(failed.id())));
    FakeTransaction paid = fake.pay("p-1");
    assertThat(fake.returnQueryFor("p-1"))
        .containsExactly(
            Map.entry("status", List.of("successful")),
            Map.entry("tx_ref", List.of("p-1")),
            Map.entry("transaction_id", List.of(String.valueOf(paid.id()))));
    assertThat(fake.returnQueryFor(failed.id())).containsEntry("status", List.of("failed"));
    assertThat(fake.cancelledReturnQueryFor("p-1"))
        .containsExactly(
            Map.entry("status", List.of("cancelled")), Map.entry("tx_ref", List.of("p-1")));
    assertThat(fake.returnUrlFor(paid.id()))
        .isEqualTo(
            URI.create(
                "https://app.example/paid?status=successful&tx_ref=p-1&transaction_id="
                    + paid.id()));
    assertThatThrownBy(() -> fake.returnQueryFor("p-none"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void returnUrlOfAChargeWithoutLinkIsRefused() {
    createLink("p-1");
    String token = fake.pay("p-1").token();
    long id = charge(token, "p-other", "5").data().get("id").asLong();
    assertThat(fake.returnQueryFor(id)).containsEntry("tx_ref", List.of("p-other"));
    assertThatThrownBy(() -> fake.returnUrlFor(id)).isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------ hosted page

  @Test
  void hostedPagePlaysTheCustomer() {
    post(
        "/v3/payments",
        link("p-1", "45", "NGN").replace("https://app.example/paid", "https://app.example/r?a=1"));
    URI link = fake.link("p-1").orElseThrow();
    Answer page = send(HttpRequest.newBuilder(link).GET().build());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.raw().headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body()).contains("NGN 45").contains("Acme &lt;AI&gt;").contains("outcome=");

    Answer cancelled =
        send(HttpRequest.newBuilder(URI.create(link + "?outcome=cancelled")).GET().build());
    assertThat(cancelled.status()).isEqualTo(303);
    assertThat(cancelled.raw().headers().firstValue("Location"))
        .contains("https://app.example/r?a=1&status=cancelled&tx_ref=p-1");
    assertThat(fake.transactions("p-1")).isEmpty();

    Answer failed =
        send(HttpRequest.newBuilder(URI.create(link + "?outcome=failed")).GET().build());
    assertThat(failed.raw().headers().firstValue("Location").orElseThrow())
        .contains("status=failed");

    Answer paid =
        send(HttpRequest.newBuilder(URI.create(link + "?outcome=successful")).GET().build());
    assertThat(paid.status()).isEqualTo(303);
    FakeTransaction transaction = fake.transactions("p-1").get(1);
    assertThat(transaction.status()).isEqualTo("successful");
    assertThat(paid.raw().headers().firstValue("Location"))
        .contains(
            "https://app.example/r?a=1&status=successful&tx_ref=p-1&transaction_id="
                + transaction.id());
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void hostedPagePaysItsOwnLink() {
    post("/v3/payments", link("p-1", "45", "NGN"));
    URI first = fake.link("p-1").orElseThrow();
    post("/v3/payments", link("p-1", "50", "NGN"));
    assertThat(fake.link("p-1")).isNotEqualTo(java.util.Optional.of(first));
    send(HttpRequest.newBuilder(URI.create(first + "?outcome=successful")).GET().build());
    assertThat(fake.transactions("p-1").get(0).amount()).isEqualTo(new BigDecimal("45"));
    assertThat(fake.pay("p-1").amount()).isEqualTo(new BigDecimal("50"));
  }

  @Test
  void unknownHostedPagesAre404() {
    assertThat(
            send(HttpRequest.newBuilder(fake.baseUri().resolve("/v3/hosted/pay/nope"))
                    .GET()
                    .build())
                .status())
        .isEqualTo(404);
    assertThat(
            send(HttpRequest.newBuilder(fake.baseUri().resolve("/v3/hosted/other")).GET().build())
                .status())
        .isEqualTo(404);
    assertThat(
            send(HttpRequest.newBuilder(fake.baseUri().resolve("/v3/hosted/authorize/12"))
                    .GET()
                    .build())
                .status())
        .isEqualTo(404);
  }

  // ------------------------------------------------------------------ the request log

  @Test
  void logsRequests() {
    post("/v3/payments", link("p-1", "1500.50", "NGN"));
    get("/v3/transactions/verify_by_reference?tx_ref=p%2D1&x");
    List<ReceivedRequest> requests = fake.requests();
    assertThat(requests).hasSize(2);
    ReceivedRequest create = requests.get(0);
    assertThat(create.method()).isEqualTo("POST");
    assertThat(create.path()).isEqualTo("/v3/payments");
    assertThat(create.header("AUTHORIZATION")).contains("Bearer " + fake.secretKey());
    assertThat(create.headers()).containsKey("content-type");
    assertThat(create.body()).isEqualTo(link("p-1", "1500.50", "NGN"));
    assertThat(create.field("amount")).contains(new BigDecimal("1500.50"));
    assertThat(create.field("nothing")).isEmpty();
    @SuppressWarnings("unchecked")
    Map<String, Object> customer = (Map<String, Object>) create.json().get("customer");
    assertThat(customer).containsEntry("email", "ada@example.com");
    ReceivedRequest verify = requests.get(1);
    assertThat(verify.queryParam("tx_ref")).contains("p-1");
    assertThat(verify.query()).containsEntry("x", List.of(""));
    assertThat(verify.json()).isNull();
    assertThat(verify.field("amount")).isEmpty();
    assertThat(verify.header("content-type")).isEmpty();
    fake.clearRequests();
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void logKeepsJsonValuesOfEveryKind() {
    post("/v3/payments", "{\"a\":[1,true,null,\"s\",{\"b\":2.50}],\"tx_ref\":\"p\"}");
    Map<String, Object> json = fake.requests().get(0).json();
    assertThat(json.get("a").toString()).isEqualTo("[1, true, null, s, {b=2.50}]");
  }

  // ------------------------------------------------------------------ concurrency

  @Test
  void concurrentPaymentsAndWebhooksAreConsistent() throws Exception {
    int links = 8;
    for (int i = 0; i < links; i++) {
      createLink("p-" + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    Set<Long> ids = ConcurrentHashMap.newKeySet();
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < links * 4; i++) {
        String txRef = "p-" + (i % links);
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  FakeTransaction paid = fake.pay(txRef);
                  ids.add(paid.id());
                  WebhookDelivery delivery = fake.webhookFor(paid.id());
                  assertThat(delivery.signature())
                      .contains(hmac(delivery.body(), fake.secretHash()));
                  return get("/v3/transactions/" + paid.id() + "/verify").status();
                }));
      }
      go.countDown();
      for (Future<?> future : futures) {
        assertThat(future.get(20, TimeUnit.SECONDS)).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ids).hasSize(links * 4);
  }
}
