package dev.billingsdk.flutterwave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.flutterwave.internal.FlutterwaveJson;
import dev.billingsdk.flutterwave.internal.StubServer;
import dev.billingsdk.flutterwave.internal.StubServer.Reply;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.AmountNotRepresentableException;
import dev.billingsdk.payment.CheckoutRequest;
import dev.billingsdk.payment.CheckoutSession;
import dev.billingsdk.payment.OffSessionCharge;
import dev.billingsdk.payment.OffSessionOutcome;
import dev.billingsdk.payment.PaymentLookup;
import dev.billingsdk.payment.PaymentProviderException;
import dev.billingsdk.payment.PaymentProviderException.Kind;
import dev.billingsdk.payment.PaymentStatus;
import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.payment.ProviderHealth;
import dev.billingsdk.payment.ProviderRefund;
import dev.billingsdk.payment.RefundCall;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.testkit.TestClock;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlutterwavePaymentProviderTest {
  static final String SECRET = "FLWSECK_TEST-0123456789abcdef0123456789abcdef-X";
  static final String HASH = "dashboard-hash-Q7";
  static final CurrencyUnit NGN = CurrencyUnit.of("NGN");
  static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  static final String BY_ID = "/v3/transactions/4975363/verify";
  static final String BY_REF = "/v3/transactions/verify_by_reference";
  static final String CHARGE = "/v3/tokenized-charges";

  final TestClock clock = new TestClock(NOW);
  final List<Duration> sleeps = new ArrayList<>();
  final StubServer stub = StubServer.start();
  final FlutterwavePaymentProvider provider = builder().build();

  @AfterEach
  void stop() {
    stub.close();
  }

  FlutterwavePaymentProvider.Builder builder() {
    return FlutterwavePaymentProvider.builder(FlutterwaveSecretKey.of(SECRET))
        .webhookSecretHash(FlutterwaveSecretHash.of(HASH))
        .baseUri(stub.baseUri())
        .clock(clock)
        .sleeper(sleeps::add);
  }

  static String transaction(String status, String amount, String extra) {
    return "{\"id\":4975363,\"tx_ref\":\"p-123\",\"flw_ref\":\"FLW-MOCK-1\",\"amount\":"
        + amount
        + ",\"currency\":\"NGN\",\"charged_amount\":"
        + amount
        + ",\"processor_response\":\"Insufficient Funds\",\"status\":\""
        + status
        + "\",\"payment_type\":\"card\",\"created_at\":\"2026-12-03T09:00:00.000Z\","
        + "\"card\":{\"last_4digits\":\"2950\",\"token\":\"flw-t1nf-abc\"},"
        + "\"customer\":{\"id\":2374551,\"name\":\"Ada\",\"email\":\"ada@example.com\"}"
        + extra
        + "}";
  }

  static JsonNode body(StubServer.Received request) throws Exception {
    return FlutterwaveJson.mapper().readTree(request.body());
  }

  CheckoutRequest.Builder checkout() {
    return CheckoutRequest.builder("p-123", Amount.of(NGN, "1500.50"))
        .description("Growth: 5,000 credits")
        .successUrl(URI.create("https://app.example/paid"))
        .cancelUrl(URI.create("https://app.example/cancel"))
        .idempotencyKey(IdempotencyKey.of("checkout-p-123"));
  }

  // ------------------------------------------------------------------ checkout

  @Test
  void createsAHostedLinkWithFlutterwavesFields() throws Exception {
    FlutterwavePaymentProvider configured =
        builder()
            .paymentOptions("card", "mobilemoney", "ussd")
            .sessionDuration(Duration.ofMinutes(30))
            .title("Acme AI")
            .logo(URI.create("https://app.example/logo.png"))
            .build();
    stub.on(
        "POST",
        "/v3/payments",
        Reply.success("{\"link\":\"https://pay.example/v3/hosted/pay/tok\"}"));

    CheckoutSession session =
        configured.createCheckout(
            checkout()
                .customerEmail("ada@example.com")
                .metadata("tenant", "acme-ai")
                .metadata("purchase", "p-123")
                .build());

    assertThat(session.reference()).isEqualTo("p-123");
    assertThat(session.redirectUrl())
        .isEqualTo(URI.create("https://pay.example/v3/hosted/pay/tok"));
    assertThat(session.expiresAt()).contains(NOW.plus(Duration.ofMinutes(30)));
    StubServer.Received sent = stub.requests().get(0);
    assertThat(sent.header("Idempotency-Key")).isEmpty();
    JsonNode body = body(sent);
    assertThat(body.get("tx_ref").asText()).isEqualTo("p-123");
    assertThat(body.get("amount").decimalValue()).isEqualTo(new BigDecimal("1500.50"));
    assertThat(body.get("currency").asText()).isEqualTo("NGN");
    assertThat(body.get("redirect_url").asText()).isEqualTo("https://app.example/paid");
    assertThat(body.get("payment_options").asText()).isEqualTo("card, mobilemoney, ussd");
    assertThat(body.get("session_duration").asInt()).isEqualTo(30);
    assertThat(body.path("customer").path("email").asText()).isEqualTo("ada@example.com");
    assertThat(body.path("customizations").path("title").asText()).isEqualTo("Acme AI");
    assertThat(body.path("customizations").path("description").asText())
        .isEqualTo("Growth: 5,000 credits");
    assertThat(body.path("customizations").path("logo").asText())
        .isEqualTo("https://app.example/logo.png");
    assertThat(body.path("meta").path("tenant").asText()).isEqualTo("acme-ai");
    assertThat(body.path("meta").path("purchase").asText()).isEqualTo("p-123");
  }

  @Test
  void theTitleDefaultsToTheDescriptionAndNothingOptionalIsSent() throws Exception {
    stub.on("POST", "/v3/payments", Reply.success("{\"link\":\"https://pay.example/x\"}"));

    CheckoutSession session =
        provider.createCheckout(checkout().customerEmail("ada@example.com").build());

    assertThat(session.expiresAt()).isEmpty();
    JsonNode body = body(stub.requests().get(0));
    assertThat(body.path("customizations").path("title").asText())
        .isEqualTo("Growth: 5,000 credits");
    assertThat(body.has("payment_options")).isFalse();
    assertThat(body.has("session_duration")).isFalse();
    assertThat(body.path("customizations").has("logo")).isFalse();
  }

  @Test
  void refusesACheckoutWithoutEmailOrARecurringOne() {
    InvalidRequestException noEmail =
        catchThrowableOfType(
            InvalidRequestException.class, () -> provider.createCheckout(checkout().build()));
    assertThat(noEmail.field()).isEqualTo("customerEmail");

    InvalidRequestException recurring =
        catchThrowableOfType(
            InvalidRequestException.class,
            () ->
                provider.createCheckout(
                    checkout().customerEmail("a@b.example").recurring(Period.ofMonths(1)).build()));
    assertThat(recurring.field()).isEqualTo("recurring");
    assertThat(recurring.getMessage()).contains("payment plans");
    assertThat(stub.requests()).isEmpty();
  }

  @Test
  void aLinkThatIsNoUrlIsUnknown() {
    stub.on("POST", "/v3/payments", Reply.success("{\"nolink\":true}"));
    PaymentProviderException e =
        catchThrowableOfType(
            PaymentProviderException.class,
            () -> provider.createCheckout(checkout().customerEmail("a@b.example").build()));
    assertThat(e.kind()).isEqualTo(Kind.UNKNOWN);
  }

  // ------------------------------------------------------------------ verify

  @Test
  void fetchesByIdWhenTheLookupNamesTheTransaction() {
    stub.on("GET", BY_ID, Reply.success(transaction("successful", "45", "")));

    PaymentView view = provider.fetchPayment(PaymentLookup.of("p-123", Optional.of("4975363")));

    assertThat(view.checkoutRef()).isEqualTo("p-123");
    assertThat(view.purchaseRef()).contains("p-123");
    assertThat(view.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(view.amount()).contains(Amount.of(NGN, 45));
    assertThat(view.paymentRef()).contains("4975363");
    assertThat(view.customer()).contains("ada@example.com");
    assertThat(view.savedPaymentMethod()).contains("flw-t1nf-abc");
    assertThat(view.refunds()).isEmpty();
    assertThat(stub.requests()).extracting(StubServer.Received::path).containsExactly(BY_ID);
  }

  @Test
  void fetchesByReferenceOtherwiseAndMapsStatuses() {
    stub.on(
        "GET",
        BY_REF,
        Reply.success(transaction("failed", "45", "")),
        Reply.success(transaction("pending", "45", "")),
        Reply.success(transaction("something-new", "45", "")));

    PaymentLookup lookup = PaymentLookup.of("p-123", Optional.empty());
    assertThat(provider.fetchPayment(lookup).status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(provider.fetchPayment(lookup).status()).isEqualTo(PaymentStatus.PENDING);
    assertThat(provider.fetchPayment(lookup).status()).isEqualTo(PaymentStatus.PENDING);
    assertThat(stub.requests()).allSatisfy(r -> assertThat(r.query()).isEqualTo("tx_ref=p-123"));
  }

  @Test
  void noTransactionIsOpenWithoutAnAmount() {
    PaymentView view = provider.fetchPayment(PaymentLookup.of("p-404", Optional.empty()));

    assertThat(view.status()).isEqualTo(PaymentStatus.OPEN);
    assertThat(view.amount()).isEmpty();
    assertThat(view.paymentRef()).isEmpty();
  }

  @Test
  void anInexactAmountIsLeftOutForReview() {
    stub.on("GET", BY_ID, Reply.success(transaction("successful", "45.005", "")));

    PaymentView view = provider.fetchPayment(PaymentLookup.of("p-123", Optional.of("4975363")));

    assertThat(view.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(view.amount()).isEmpty();
  }

  @Test
  void refusesAPaymentRefThatIsNoTransactionId() {
    assertThatThrownBy(
            () -> provider.fetchPayment(PaymentLookup.of("p-1", Optional.of("../balances"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(stub.requests()).isEmpty();
  }

  // ------------------------------------------------------------------ the return

  @Test
  void readsTheReturnsTxRefAndTransactionId() {
    assertThat(
            provider.readReturn(
                Map.of(
                    "status", List.of("successful"),
                    "tx_ref", List.of("p-123"),
                    "transaction_id", List.of("4975363"))))
        .contains(PaymentLookup.of("p-123", Optional.of("4975363")));
    assertThat(
            provider.readReturn(Map.of("status", List.of("cancelled"), "tx_ref", List.of("p-123"))))
        .contains(PaymentLookup.of("p-123", Optional.empty()));
    assertThat(
            provider.readReturn(
                Map.of("tx_ref", List.of("p-123"), "transaction_id", List.of("49x"))))
        .contains(PaymentLookup.of("p-123", Optional.empty()));
    assertThat(
            provider.readReturn(
                Map.of("tx_ref", List.of("p-123"), "transaction_id", List.of("1", "2"))))
        .contains(PaymentLookup.of("p-123", Optional.empty()));
    assertThat(provider.readReturn(Map.of("tx_ref", List.of("a", "b")))).isEmpty();
    assertThat(provider.readReturn(Map.of("transaction_id", List.of("4975363")))).isEmpty();
    assertThat(provider.readReturn(Map.of("tx_ref", List.of(" ")))).isEmpty();
  }

  // ------------------------------------------------------------------ off-session

  OffSessionCharge charge() {
    return new OffSessionCharge(
        "ada@example.com",
        "flw-t1nf-abc",
        Amount.of(NGN, 45),
        "p-123",
        "Auto top-up: 5,000 credits",
        IdempotencyKey.of("topup-p-123"));
  }

  @Test
  void chargesTheTokenThenVerifiesBeforeSucceeding() throws Exception {
    stub.on("POST", CHARGE, Reply.success(transaction("successful", "45", "")));
    stub.on("GET", BY_ID, Reply.success(transaction("successful", "45", "")));

    OffSessionOutcome outcome = provider.chargeOffSession(charge());

    assertThat(outcome).isEqualTo(new OffSessionOutcome.Succeeded("4975363"));
    assertThat(stub.requests())
        .extracting(StubServer.Received::path)
        .containsExactly(BY_REF, CHARGE, BY_ID);
    JsonNode body = body(stub.requests(("POST"), CHARGE).get(0));
    assertThat(body.get("token").asText()).isEqualTo("flw-t1nf-abc");
    assertThat(body.get("email").asText()).isEqualTo("ada@example.com");
    assertThat(body.get("currency").asText()).isEqualTo("NGN");
    assertThat(body.get("amount").decimalValue()).isEqualByComparingTo("45");
    assertThat(body.get("tx_ref").asText()).isEqualTo("p-123");
    assertThat(body.get("narration").asText()).isEqualTo("Auto top-up: 5,000 credits");
  }

  @Test
  void reusesATransactionFoundByReferenceInsteadOfChargingAgain() {
    stub.on("GET", BY_REF, Reply.success(transaction("successful", "45", "")));
    stub.on("GET", BY_ID, Reply.success(transaction("successful", "45", "")));

    assertThat(provider.chargeOffSession(charge()))
        .isEqualTo(new OffSessionOutcome.Succeeded("4975363"));
    assertThat(stub.requests("POST", CHARGE)).isEmpty();
  }

  @Test
  void aDeclineAnAuthenticationAndAPendingChargeAreOutcomes() {
    stub.on(
        "POST",
        CHARGE,
        Reply.success(transaction("failed", "45", "")),
        Reply.success(transaction("pending", "45", ",\"meta\":{}")),
        Reply.success(
            transaction(
                "pending",
                "45",
                ",\"meta\":{\"authorization\":{\"mode\":\"redirect\",\"redirect\":\"https://bank\"}}")));

    assertThat(provider.chargeOffSession(charge()))
        .isEqualTo(new OffSessionOutcome.Declined("declined", "Insufficient Funds"));
    assertThat(provider.chargeOffSession(charge()))
        .isEqualTo(new OffSessionOutcome.Processing("4975363"));
    assertThat(provider.chargeOffSession(charge()))
        .isEqualTo(new OffSessionOutcome.AuthenticationRequired("4975363"));
    assertThat(stub.requests("GET", BY_ID)).isEmpty();
  }

  @Test
  void aSuccessThatDoesNotVerifyIsNotBelieved() {
    stub.on("POST", CHARGE, Reply.success(transaction("successful", "45", "")));
    stub.on(
        "GET",
        BY_ID,
        Reply.success(transaction("successful", "44.99", "")),
        Reply.success(transaction("pending", "45", "")),
        Reply.error(404, "No transaction was found for this id"));

    for (int i = 0; i < 3; i++) {
      PaymentProviderException e =
          catchThrowableOfType(
              PaymentProviderException.class, () -> provider.chargeOffSession(charge()));
      assertThat(e.kind()).isEqualTo(Kind.UNKNOWN);
    }
  }

  @Test
  void anUnknownTokenIsAnInvalidRequest() {
    stub.on("POST", CHARGE, Reply.error(400, "Token not found"));

    PaymentProviderException e =
        catchThrowableOfType(
            PaymentProviderException.class, () -> provider.chargeOffSession(charge()));
    assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
    assertThat(stub.requests("POST", CHARGE)).hasSize(1);
  }

  // ------------------------------------------------------------------ refunds

  @Test
  void refundsWithTheAmountAndReadsTheRefund() throws Exception {
    String refund = "/v3/transactions/4975363/refund";
    stub.on(
        "POST",
        refund,
        Reply.success(
            "{\"id\":75923,\"tx_id\":4975363,\"amount_refunded\":20,\"status\":\"completed\"}"),
        Reply.success("{\"id\":75924,\"amount_refunded\":5.5,\"status\":\"pending\"}"),
        Reply.success("{\"id\":75925,\"amount_refunded\":5,\"status\":\"failed\"}"));

    ProviderRefund done =
        provider.refund(RefundCall.of("4975363", Amount.of(NGN, 20), IdempotencyKey.of("r-1")));

    assertThat(done)
        .isEqualTo(
            new ProviderRefund("75923", Amount.of(NGN, 20), ProviderRefund.Status.SUCCEEDED));
    assertThat(body(stub.requests().get(0)).get("amount").decimalValue())
        .isEqualByComparingTo("20");
    assertThat(
            provider
                .refund(RefundCall.of("4975363", Amount.of(NGN, "5.50"), IdempotencyKey.of("r-2")))
                .status())
        .isEqualTo(ProviderRefund.Status.PENDING);
    assertThat(
            provider
                .refund(RefundCall.of("4975363", Amount.of(NGN, 5), IdempotencyKey.of("r-3")))
                .status())
        .isEqualTo(ProviderRefund.Status.FAILED);
  }

  @Test
  void aRefundAboveWhatIsLeftIsAnInvalidRequestAndNotRetried() {
    stub.on(
        "POST",
        "/v3/transactions/4975363/refund",
        Reply.error(400, "Refund amount exceeds transaction amount"));

    PaymentProviderException e =
        catchThrowableOfType(
            PaymentProviderException.class,
            () ->
                provider.refund(
                    RefundCall.of("4975363", Amount.of(NGN, 99), IdempotencyKey.of("r-1"))));
    assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("exceeds");
    assertThat(stub.requests()).hasSize(1);
  }

  @Test
  void refusesAnAmountItCannotSend() {
    assertThatThrownBy(
            () ->
                provider.refund(
                    RefundCall.of(
                        "4975363",
                        Amount.ofMinor(dev.billingsdk.money.CreditUnit.of("CREDIT", 0), 5),
                        IdempotencyKey.of("r-1"))))
        .isInstanceOf(AmountNotRepresentableException.class);
    assertThat(stub.requests()).isEmpty();
  }

  // ------------------------------------------------------------------ health

  @Test
  void healthFollowsTheBalancesCall() {
    stub.on(
        "GET",
        "/v3/balances",
        Reply.success("[{\"currency\":\"NGN\",\"available_balance\":1000}]"),
        Reply.error(401, "Invalid authorization key"),
        Reply.success("[]"));

    ProviderHealth up = provider.health();
    assertThat(up.state()).isEqualTo(ProviderHealth.State.CONNECTED);
    assertThat(up.lastError()).isEmpty();

    ProviderHealth down = provider.health();
    assertThat(down.state()).isEqualTo(ProviderHealth.State.DOWN);
    assertThat(down.lastError().orElseThrow()).contains("401").doesNotContain(SECRET);
    assertThat(down.lastErrorAt()).contains(NOW);

    clock.advance(Duration.ofMinutes(1));
    ProviderHealth recovering = provider.health();
    assertThat(recovering.state()).isEqualTo(ProviderHealth.State.DEGRADED);
    assertThat(recovering.lastErrorAt()).contains(NOW);

    clock.advance(FlutterwavePaymentProvider.DEGRADED_FOR);
    assertThat(provider.health().state()).isEqualTo(ProviderHealth.State.CONNECTED);
  }

  @Test
  void anOpenBreakerIsDown() {
    FlutterwavePaymentProvider fragile =
        builder().maxAttempts(1).circuitBreaker(2, 50, Duration.ofSeconds(30), 1).build();
    stub.on("GET", "/v3/balances", Reply.error(500, "boom"));

    fragile.health();
    fragile.health();
    ProviderHealth open = fragile.health();

    assertThat(open.state()).isEqualTo(ProviderHealth.State.DOWN);
    assertThat(open.lastError().orElseThrow()).contains("circuit breaker is open").contains("500");
    assertThat(stub.requests()).hasSize(2);
  }

  // ------------------------------------------------------------------ webhooks

  @Test
  void verifiesWebhooks() {
    String body =
        "{\"event\":\"charge.completed\",\"data\":{\"id\":4975363,\"tx_ref\":\"p-123\","
            + "\"status\":\"successful\"}}";
    ProviderEvent event =
        provider.verifyWebhook(
            body.getBytes(StandardCharsets.UTF_8), Map.of("verif-hash", List.of(HASH)));
    assertThat(event.eventId()).isEqualTo("4975363:charge.completed:successful");
    assertThat(event.createdAt()).isEqualTo(NOW);
    assertThatThrownBy(
            () ->
                provider.verifyWebhook(
                    body.getBytes(StandardCharsets.UTF_8), Map.of("verif-hash", List.of("no"))))
        .isInstanceOf(WebhookRejectedException.class);
  }

  // ------------------------------------------------------------------ the builder

  @Test
  void theBuilderRefusesASecondCallNamingTheOldValue() {
    FlutterwavePaymentProvider.Builder b =
        FlutterwavePaymentProvider.builder(FlutterwaveSecretKey.of(SECRET)).title("Acme AI");
    InvalidRequestException again =
        catchThrowableOfType(InvalidRequestException.class, () -> b.title("Other"));
    assertThat(again.field()).isEqualTo("title");
    assertThat(again.getMessage()).contains("Acme AI");

    b.webhookSecretHash(FlutterwaveSecretHash.of(HASH));
    InvalidRequestException hash =
        catchThrowableOfType(
            InvalidRequestException.class,
            () -> b.webhookSecretHash(FlutterwaveSecretHash.of("another-hash")));
    assertThat(hash.field()).isEqualTo("webhookSecretHash");
    assertThat(hash.getMessage()).doesNotContain(HASH).doesNotContain("another-hash");

    b.maxAttempts(2);
    assertThat(
            catchThrowableOfType(InvalidRequestException.class, () -> b.maxAttempts(3))
                .getMessage())
        .contains("already set to 2");
  }

  @Test
  void theBuilderChecksEachValueAtOnce() {
    FlutterwavePaymentProvider.Builder b =
        FlutterwavePaymentProvider.builder(FlutterwaveSecretKey.of(SECRET));
    assertThatThrownBy(() -> b.sessionDuration(Duration.ofSeconds(90)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.sessionDuration(Duration.ofMinutes(1441)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.paymentOptions("card", "card"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.paymentOptions("Card Payment"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.paymentOptions()).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.logo(URI.create("http://app.example/logo.png")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.baseUri(URI.create("http://api.example.com")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.maxAttempts(11)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.title(" ")).isInstanceOf(InvalidRequestException.class);
    // A refused value leaves the setter free.
    assertThat(b.sessionDuration(Duration.ofMinutes(1440))).isSameAs(b);
  }

  @Test
  void buildNeedsTheWebhookSecretHashAndShowsNoSecret() {
    InvalidRequestException missing =
        catchThrowableOfType(
            InvalidRequestException.class,
            () -> FlutterwavePaymentProvider.builder(FlutterwaveSecretKey.of(SECRET)).build());
    assertThat(missing.field()).isEqualTo("webhookSecretHash");

    FlutterwavePaymentProvider rolling =
        builder().previousWebhookSecretHash(FlutterwaveSecretHash.of("old-hash-1")).build();
    assertThat(rolling.toString())
        .doesNotContain(SECRET)
        .doesNotContain(HASH)
        .doesNotContain("old-hash-1")
        .contains("webhook secret hashes=2");
    assertThat(rolling.name()).isEqualTo("flutterwave").isEqualTo(FlutterwavePaymentProvider.NAME);
  }

  // ------------------------------------------------------------------ odd answers and settings

  @Test
  void retriesAVerifyWithTheConfiguredTransport() {
    FlutterwavePaymentProvider patient =
        builder()
            .maxAttempts(2)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
            .requestTimeout(Duration.ofSeconds(5))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    stub.on(
        "GET",
        BY_ID,
        Reply.error(503, "busy"),
        Reply.error(503, "busy"),
        Reply.success(transaction("successful", "45", "")));

    PaymentProviderException e =
        catchThrowableOfType(
            PaymentProviderException.class,
            () -> patient.fetchPayment(PaymentLookup.of("p-123", Optional.of("4975363"))));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(stub.requests()).hasSize(2);
    assertThat(sleeps).hasSize(1);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(5), Duration.ofMillis(10));
  }

  @Test
  void aHalfOpenBreakerThatSucceedsIsDegraded() {
    FlutterwavePaymentProvider fragile =
        builder().maxAttempts(1).circuitBreaker(2, 50, Duration.ofSeconds(30), 1).build();
    stub.on(
        "GET",
        "/v3/balances",
        Reply.error(500, "boom"),
        Reply.error(500, "boom"),
        Reply.success("[]"));
    fragile.health();
    fragile.health();

    clock.advance(Duration.ofMinutes(10));
    ProviderHealth after = fragile.health();

    // The failure is older than DEGRADED_FOR, but the breaker was not closed before the call.
    assertThat(after.state()).isEqualTo(ProviderHealth.State.DEGRADED);
    assertThat(after.lastError().orElseThrow()).contains("500");
    assertThat(fragile.health().state()).isEqualTo(ProviderHealth.State.CONNECTED);
  }

  @Test
  void linksThatAreNoAbsoluteUrlAreUnknown() {
    stub.on(
        "POST",
        "/v3/payments",
        Reply.success("{\"link\":\"not a url\"}"),
        Reply.success("{\"link\":\"/relative\"}"));
    CheckoutRequest request = checkout().customerEmail("a@b.example").build();

    for (int i = 0; i < 2; i++) {
      assertThat(
              catchThrowableOfType(
                      PaymentProviderException.class, () -> provider.createCheckout(request))
                  .kind())
          .isEqualTo(Kind.UNKNOWN);
    }
  }

  @Test
  void chargeAnswersWithoutAnIdOrWithAnUnknownStatusAreUnknown() {
    stub.on(
        "POST",
        CHARGE,
        Reply.success("{\"status\":\"successful\"}"),
        Reply.success(transaction("reversed", "45", "")));

    for (int i = 0; i < 2; i++) {
      PaymentProviderException e =
          catchThrowableOfType(
              PaymentProviderException.class, () -> provider.chargeOffSession(charge()));
      assertThat(e.kind()).isEqualTo(Kind.UNKNOWN);
    }
  }

  @Test
  void aVerifiedChargeInAnotherCurrencyIsNotBelieved() {
    stub.on("POST", CHARGE, Reply.success(transaction("successful", "45", "")));
    stub.on(
        "GET",
        BY_ID,
        Reply.success(transaction("successful", "45", "").replace("\"NGN\"", "\"GHS\"")));

    assertThat(
            catchThrowableOfType(
                    PaymentProviderException.class, () -> provider.chargeOffSession(charge()))
                .getMessage())
        .contains("GHS 45.00");
  }

  @Test
  void oddRefundAnswers() {
    String refund = "/v3/transactions/4975363/refund";
    stub.on(
        "POST",
        refund,
        Reply.success("{\"amount_refunded\":20,\"status\":\"completed\"}"),
        Reply.success("{\"id\":1,\"amount_refunded\":20.005,\"status\":\"completed\"}"),
        Reply.success("{\"id\":2,\"amount_refunded\":0,\"status\":\"completed\"}"),
        Reply.success("{\"id\":3,\"status\":\"new\"}"));
    RefundCall call = RefundCall.of("4975363", Amount.of(NGN, 20), IdempotencyKey.of("r-1"));

    for (int i = 0; i < 3; i++) {
      assertThat(
              catchThrowableOfType(PaymentProviderException.class, () -> provider.refund(call))
                  .kind())
          .isEqualTo(Kind.UNKNOWN);
    }
    // Without amount_refunded, the amount asked for.
    assertThat(provider.refund(call))
        .isEqualTo(new ProviderRefund("3", Amount.of(NGN, 20), ProviderRefund.Status.PENDING));
    assertThatThrownBy(
            () -> provider.refund(RefundCall.of("tx-1", Amount.of(NGN, 1), IdempotencyKey.of("r"))))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void everySetterIsOnce() {
    FlutterwavePaymentProvider.Builder b = builder();
    List<Runnable> twice =
        List.of(
            () -> b.baseUri(stub.baseUri()),
            () -> b.clock(clock),
            () -> b.sleeper(sleeps::add),
            () -> b.previousWebhookSecretHash(FlutterwaveSecretHash.of("p1")),
            () -> b.paymentOptions("card"),
            () -> b.sessionDuration(Duration.ofMinutes(5)),
            () -> b.title("T"),
            () -> b.logo(URI.create("https://app.example/l.png")),
            () -> b.requestTimeout(Duration.ofSeconds(1)),
            () -> b.connectTimeout(Duration.ofSeconds(1)),
            () -> b.maxAttempts(1),
            () -> b.backoff(Duration.ofMillis(1), Duration.ofMillis(2)),
            () -> b.circuitBreaker(2, 50, Duration.ofSeconds(1), 1));
    for (Runnable setter : twice) {
      if (setter != twice.get(0) && setter != twice.get(1) && setter != twice.get(2)) {
        setter.run();
      }
      assertThatThrownBy(setter::run)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("already set to");
    }
    assertThatThrownBy(() -> b.previousWebhookSecretHash(FlutterwaveSecretHash.of("p2")))
        .hasMessageNotContaining("p1")
        .hasMessageNotContaining("p2");
  }

  @Test
  void aClientErrorOnTheBalancesCallIsDownAtTheClocksTime() {
    stub.on("GET", "/v3/balances", Reply.error(400, "odd"));
    clock.advance(Duration.ofSeconds(7));

    ProviderHealth down = provider.health();

    assertThat(down.state()).isEqualTo(ProviderHealth.State.DOWN);
    assertThat(down.lastError().orElseThrow()).contains("400").contains("odd");
    assertThat(down.lastErrorAt()).contains(NOW.plusSeconds(7));
  }

  @Test
  void readsOnlyWhatItCanUseFromATransaction() {
    stub.on(
        "GET",
        BY_REF,
        Reply.success(
            "{\"id\":\"4975363\",\"tx_ref\":\"p-123\",\"amount\":\"45\","
                + "\"currency\":\"NGN\",\"status\":\"\"}"),
        Reply.success("{\"id\":-4,\"amount\":45,\"status\":\"successful\"}"),
        Reply.success("{\"status\":\"successful\"}"));
    PaymentLookup lookup = PaymentLookup.of("p-123", Optional.empty());

    PaymentView stringy = provider.fetchPayment(lookup);
    assertThat(stringy.paymentRef()).isEmpty();
    assertThat(stringy.amount()).isEmpty();
    assertThat(stringy.status()).isEqualTo(PaymentStatus.PENDING);
    assertThat(stringy.savedPaymentMethod()).isEmpty();

    PaymentView noCurrency = provider.fetchPayment(lookup);
    assertThat(noCurrency.amount()).isEmpty();
    assertThat(noCurrency.paymentRef()).isEmpty();
    assertThat(noCurrency.status()).isEqualTo(PaymentStatus.PAID);

    PaymentView bare = provider.fetchPayment(lookup);
    assertThat(bare.amount()).isEmpty();
    assertThat(bare.purchaseRef()).isEmpty();
    assertThat(bare.customer()).isEmpty();
  }

  @Test
  void readsNullQueryValuesAsAbsent() {
    assertThat(provider.readReturn(Map.of("tx_ref", java.util.Arrays.asList((String) null))))
        .isEmpty();
    assertThat(
            provider.readReturn(
                Map.of(
                    "tx_ref",
                    List.of("p-9"),
                    "transaction_id",
                    java.util.Arrays.asList((String) null))))
        .contains(PaymentLookup.of("p-9", Optional.empty()));
  }

  @Test
  void aVerifiedChargeWithAnUnreadableAmountIsNotBelievedAndALongDeclineIsCut() {
    stub.on(
        "POST",
        CHARGE,
        Reply.success(transaction("successful", "45", "")),
        Reply.success(
            transaction("failed", "45", "").replace("Insufficient Funds", "n".repeat(1500))));
    stub.on("GET", BY_ID, Reply.success(transaction("successful", "45.005", "")));

    assertThat(
            catchThrowableOfType(
                    PaymentProviderException.class, () -> provider.chargeOffSession(charge()))
                .getMessage())
        .contains("an unreadable amount");
    OffSessionOutcome declined = provider.chargeOffSession(charge());
    assertThat(((OffSessionOutcome.Declined) declined).message()).hasSize(1000);
  }

  @Test
  void aRefundAmountGivenAsTextIsTheAmountAskedFor() {
    stub.on(
        "POST",
        "/v3/transactions/4975363/refund",
        Reply.success("{\"id\":8,\"amount_refunded\":\"20\",\"status\":\"completed\"}"));

    assertThat(
            provider
                .refund(RefundCall.of("4975363", Amount.of(NGN, 20), IdempotencyKey.of("r-1")))
                .amount())
        .isEqualTo(Amount.of(NGN, 20));
  }

  @Test
  void refusesOddSessionsAndLogos() {
    FlutterwavePaymentProvider.Builder b =
        FlutterwavePaymentProvider.builder(FlutterwaveSecretKey.of(SECRET));
    assertThatThrownBy(() -> b.sessionDuration(Duration.ofMinutes(5).plusNanos(1)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.sessionDuration(Duration.ofSeconds(30)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.logo(URI.create("/logo.png")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> b.logo(URI.create("https:/logo.png")))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aDeclineMessageThatIsNoTextIsJustDeclined() {
    stub.on(
        "POST",
        CHARGE,
        Reply.success(transaction("failed", "45", "").replace("Insufficient Funds", "bad\\u0000")));

    assertThat(provider.chargeOffSession(charge()))
        .isEqualTo(new OffSessionOutcome.Declined("declined", "declined"));
  }
}
