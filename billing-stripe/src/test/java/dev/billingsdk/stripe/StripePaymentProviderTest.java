package dev.billingsdk.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.AmountNotRepresentableException;
import dev.billingsdk.payment.CheckoutRequest;
import dev.billingsdk.payment.CheckoutSession;
import dev.billingsdk.payment.OffSessionCharge;
import dev.billingsdk.payment.OffSessionOutcome;
import dev.billingsdk.payment.PaymentLookup;
import dev.billingsdk.payment.PaymentProviderException;
import dev.billingsdk.payment.PaymentStatus;
import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.payment.ProviderEvent.Kind;
import dev.billingsdk.payment.ProviderHealth;
import dev.billingsdk.payment.ProviderRefund;
import dev.billingsdk.payment.RefundCall;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.payment.WebhookRejectedException.Reason;
import dev.billingsdk.stripe.internal.StripeHttp;
import dev.billingsdk.stripe.testing.FakeStripe;
import dev.billingsdk.stripe.testing.Fault;
import dev.billingsdk.stripe.testing.MutableClock;
import dev.billingsdk.stripe.testing.ReceivedRequest;
import dev.billingsdk.stripe.testing.WebhookDelivery;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The adapter against {@link FakeStripe}: each call's wire request, each answer's mapping. */
class StripePaymentProviderTest {
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CurrencyUnit JPY = CurrencyUnit.of("JPY");
  static final CurrencyUnit KWD = CurrencyUnit.of("KWD");
  static final URI OK = URI.create("https://app.example/paid");
  static final URI BACK = URI.create("https://app.example/pricing");

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
  FakeStripe fake;
  StripePaymentProvider stripe;

  @BeforeEach
  void start() {
    fake = FakeStripe.builder().clock(clock).start();
    stripe = provider().build();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  StripePaymentProvider.Builder provider() {
    return StripePaymentProvider.builder(StripeApiKey.of(fake.secretKey()))
        .webhookSecret(fake.webhookSecret())
        .baseUri(fake.baseUri())
        .clock(clock)
        .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
        .retries(2, Duration.ofMillis(1), Duration.ofMillis(5));
  }

  static CheckoutRequest.Builder checkout(String purchase, Amount amount) {
    return CheckoutRequest.builder(purchase, amount)
        .description("Growth: 5,000 credits")
        .successUrl(OK)
        .cancelUrl(BACK)
        .idempotencyKey(IdempotencyKey.of("checkout-" + purchase))
        .metadata("tenant", "acme-ai")
        .metadata("purchase", purchase)
        .metadata("account", "research-team");
  }

  ReceivedRequest only(String method, String path) {
    List<ReceivedRequest> matching =
        fake.requests().stream()
            .filter(r -> r.method().equals(method) && r.path().equals(path))
            .toList();
    assertThat(matching).hasSize(1);
    return matching.get(0);
  }

  ProviderEvent verify(WebhookDelivery d) {
    return stripe.verifyWebhook(
        d.payload().getBytes(StandardCharsets.UTF_8),
        Map.of("Stripe-Signature", List.of(d.signatureHeader())));
  }

  // ------------------------------------------------------------------ the buyer's return

  @Test
  @DisplayName("the success URL carries {CHECKOUT_SESSION_ID}, after any query, before a fragment")
  void successUrlCarriesTheSession() {
    assertThat(StripePaymentProvider.withSessionId(URI.create("https://a.example/ok")))
        .isEqualTo("https://a.example/ok?session_id={CHECKOUT_SESSION_ID}");
    assertThat(StripePaymentProvider.withSessionId(URI.create("https://a.example/ok?x=1#top")))
        .isEqualTo("https://a.example/ok?x=1&session_id={CHECKOUT_SESSION_ID}#top");
  }

  @Test
  @DisplayName("the return names one Checkout Session by session_id; anything else names none")
  void readsTheReturn() {
    assertThat(stripe.readReturn(Map.of("session_id", List.of("cs_test_1"))))
        .contains(PaymentLookup.of("cs_test_1", Optional.empty()));
    assertThat(stripe.readReturn(Map.of())).isEmpty();
    assertThat(stripe.readReturn(Map.of("session_id", List.of("cs_a", "cs_b")))).isEmpty();
    assertThat(stripe.readReturn(Map.of("session_id", List.of("pi_1")))).isEmpty();
    assertThatThrownBy(() -> stripe.readReturn(Map.of("session_id", List.of("cs_ bad"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("session_id");
  }

  // ------------------------------------------------------------------ checkout

  @Test
  @DisplayName("a package checkout: payment mode, price_data, the purchase id, metadata, headers")
  void paymentCheckoutOnTheWire() {
    CheckoutSession session =
        stripe.createCheckout(
            checkout("p-1", Amount.of(USD, "45.00"))
                .customerEmail("bob@example.com")
                .saveForOffSession(true)
                .build());

    assertThat(session.reference()).startsWith("cs_test_");
    assertThat(session.redirectUrl().toString()).startsWith(fake.baseUri() + "/c/pay/");
    assertThat(session.expiresAt()).contains(clock.instant().plus(Duration.ofHours(24)));
    ReceivedRequest r = only("POST", "/v1/checkout/sessions");
    assertThat(r.header("Idempotency-Key")).contains("checkout-p-1");
    assertThat(r.header("Stripe-Version")).contains(StripeHttp.API_VERSION);
    assertThat(r.header("Authorization")).contains("Bearer " + fake.secretKey());
    assertThat(r.header("Content-Type")).contains("application/x-www-form-urlencoded");
    assertThat(r.params())
        .containsOnly(
            Map.entry("mode", "payment"),
            Map.entry("line_items[0][quantity]", "1"),
            Map.entry("line_items[0][price_data][currency]", "usd"),
            Map.entry("line_items[0][price_data][unit_amount]", "4500"),
            Map.entry("line_items[0][price_data][product_data][name]", "Growth: 5,000 credits"),
            Map.entry("success_url", OK + "?session_id={CHECKOUT_SESSION_ID}"),
            Map.entry("cancel_url", BACK.toString()),
            Map.entry("client_reference_id", "p-1"),
            Map.entry("metadata[account]", "research-team"),
            Map.entry("metadata[purchase]", "p-1"),
            Map.entry("metadata[tenant]", "acme-ai"),
            Map.entry("customer_email", "bob@example.com"),
            Map.entry("customer_creation", "always"),
            Map.entry("payment_intent_data[metadata][account]", "research-team"),
            Map.entry("payment_intent_data[metadata][purchase]", "p-1"),
            Map.entry("payment_intent_data[metadata][tenant]", "acme-ai"),
            Map.entry("payment_intent_data[setup_future_usage]", "off_session"));
  }

  @Test
  @DisplayName("a catalogue Price and a known customer: price + quantity, customer, no e-mail")
  void priceRefAndCustomer() {
    // FakeStripe has no Prices; it answers this one request with a session as Stripe would.
    fake.inject(
        Fault.status(
            200,
            "{\"id\":\"cs_test_price\",\"object\":\"checkout.session\",\"url\":"
                + "\"https://checkout.stripe.com/c/pay/cs_test_price\",\"expires_at\":null}"));
    CheckoutSession session =
        stripe.createCheckout(
            checkout("p-2", Amount.of(USD, "45.00"))
                .priceRef("price_Growth")
                .customer("cus_Known")
                .customerEmail("bob@example.com")
                .build());

    assertThat(session)
        .isEqualTo(
            CheckoutSession.of(
                "cs_test_price",
                URI.create("https://checkout.stripe.com/c/pay/cs_test_price"),
                Optional.empty()));
    ReceivedRequest r = only("POST", "/v1/checkout/sessions");
    assertThat(r.param("line_items[0][price]")).contains("price_Growth");
    assertThat(r.param("line_items[0][quantity]")).contains("1");
    assertThat(r.param("line_items[0][price_data][currency]")).isEmpty();
    assertThat(r.param("customer")).contains("cus_Known");
    assertThat(r.param("customer_email")).isEmpty();
    assertThat(r.param("customer_creation")).isEmpty();
  }

  @Test
  @DisplayName(
      "a plan checkout: subscription mode, a recurring price, metadata on the subscription")
  void subscriptionCheckout() {
    stripe.createCheckout(
        checkout("p-3", Amount.of(USD, "20.00"))
            .recurring(Period.ofMonths(1))
            .saveForOffSession(true)
            .build());
    ReceivedRequest r = only("POST", "/v1/checkout/sessions");
    assertThat(r.param("mode")).contains("subscription");
    assertThat(r.param("line_items[0][price_data][recurring][interval]")).contains("month");
    assertThat(r.param("line_items[0][price_data][recurring][interval_count]")).contains("1");
    assertThat(r.param("subscription_data[metadata][purchase]")).contains("p-3");
    // Stripe refuses payment_intent_data in subscription mode; a subscription keeps its method.
    assertThat(r.params()).noneMatch(p -> p.getKey().startsWith("payment_intent_data"));

    assertThat(StripePaymentProvider.recurring(Period.ofYears(1)))
        .isEqualTo(Map.of("interval", "year", "interval_count", 1L));
    assertThat(StripePaymentProvider.recurring(Period.ofMonths(3)))
        .isEqualTo(Map.of("interval", "month", "interval_count", 3L));
    assertThat(StripePaymentProvider.recurring(Period.ofWeeks(2)))
        .isEqualTo(Map.of("interval", "week", "interval_count", 2L));
    assertThat(StripePaymentProvider.recurring(Period.ofDays(10)))
        .isEqualTo(Map.of("interval", "day", "interval_count", 10L));
    fake.clearRequests();
    assertThatThrownBy(
            () ->
                stripe.createCheckout(
                    checkout("p-4", Amount.of(USD, "20.00")).recurring(Period.of(0, 1, 2)).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("recurring");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("JPY has no decimals, KWD three: both sent exactly, and read back exactly")
  void zeroAndThreeDecimalAmounts() {
    CheckoutSession yen = stripe.createCheckout(checkout("p-jpy", Amount.of(JPY, "500")).build());
    assertThat(only("POST", "/v1/checkout/sessions").params())
        .contains(
            Map.entry("line_items[0][price_data][currency]", "jpy"),
            Map.entry("line_items[0][price_data][unit_amount]", "500"));
    fake.clearRequests();
    CheckoutSession dinar =
        stripe.createCheckout(checkout("p-kwd", Amount.of(KWD, "1.250")).build());
    assertThat(only("POST", "/v1/checkout/sessions").params())
        .contains(
            Map.entry("line_items[0][price_data][currency]", "kwd"),
            Map.entry("line_items[0][price_data][unit_amount]", "1250"));

    fake.pay(yen.reference());
    fake.pay(dinar.reference());
    assertThat(stripe.fetchPayment(PaymentLookup.of(yen.reference(), Optional.empty())).amount())
        .contains(Amount.of(JPY, "500"));
    assertThat(stripe.fetchPayment(PaymentLookup.of(dinar.reference(), Optional.empty())).amount())
        .contains(Amount.of(KWD, "1.250"));
  }

  @Test
  @DisplayName("an amount Stripe cannot take exactly is refused before any HTTP call")
  void notRepresentableRefusedBeforeSending() {
    // Stripe takes KWD in thousandths that end in 0: 1.255 would need rounding.
    assertThatThrownBy(
            () -> stripe.createCheckout(checkout("p-5", Amount.of(KWD, "1.255")).build()))
        .isInstanceOfSatisfying(
            AmountNotRepresentableException.class,
            e -> assertThat(e.provider()).isEqualTo("stripe"));
    assertThatThrownBy(
            () ->
                stripe.refund(
                    RefundCall.of(
                        "pi_123", Amount.of(KWD, "0.001"), IdempotencyKey.of("refund-kwd"))))
        .isInstanceOf(AmountNotRepresentableException.class);
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("the same checkout twice under its key: Stripe replays the same session")
  void checkoutReplayed() {
    CheckoutSession first = stripe.createCheckout(checkout("p-6", Amount.of(USD, "9.00")).build());
    CheckoutSession again = stripe.createCheckout(checkout("p-6", Amount.of(USD, "9.00")).build());
    assertThat(again).isEqualTo(first);
    assertThatThrownBy(
            () -> stripe.createCheckout(checkout("p-6", Amount.of(USD, "10.00")).build()))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e ->
                assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.IDEMPOTENCY_CONFLICT));
  }

  @Test
  @DisplayName("a 500 on a checkout is retried with the same Idempotency-Key and the same body")
  void retriedWithTheSameKey() {
    fake.inject(Fault.status(500, "{\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}"));
    CheckoutSession s = stripe.createCheckout(checkout("p-r", Amount.of(USD, "9.00")).build());
    List<ReceivedRequest> sent = fake.requests();
    assertThat(sent).hasSize(2);
    assertThat(sent)
        .extracting(r -> r.header("Idempotency-Key").orElseThrow())
        .containsOnly("checkout-p-r");
    assertThat(sent.get(1).body()).isEqualTo(sent.get(0).body());
    assertThat(fake.session(s.reference())).isPresent();
    // A refused request is not retried: Stripe would answer the same.
    fake.clearRequests();
    fake.inject(
        Fault.status(400, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"no\"}}"));
    assertThatThrownBy(
            () -> stripe.createCheckout(checkout("p-r2", Amount.of(USD, "9.00")).build()))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.INVALID_REQUEST);
              assertThat(e.retryable()).isFalse();
            });
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  @DisplayName("keys that are not printable ASCII go to Stripe as a stable hash")
  void idempotencyKeyShapes() {
    assertThat(StripePaymentProvider.idempotencyKey(IdempotencyKey.of("checkout-p-1")))
        .isEqualTo("checkout-p-1");
    String hashed = StripePaymentProvider.idempotencyKey(IdempotencyKey.of("checkout-käse 1"));
    assertThat(hashed).startsWith("sha256-").hasSize(7 + 64);
    assertThat(StripePaymentProvider.idempotencyKey(IdempotencyKey.of("checkout-käse 1")))
        .isEqualTo(hashed);
  }

  // ------------------------------------------------------------------ webhooks

  @Test
  @DisplayName("each Checkout and refund event type is read into its kind and references")
  void eventsMapped() {
    CheckoutSession paid = stripe.createCheckout(checkout("p-7", Amount.of(USD, "45.00")).build());
    ProviderEvent completed = verify(fake.pay(paid.reference()));
    String intent = fake.paymentIntentOf(paid.reference());
    assertThat(completed.kind()).isEqualTo(Kind.CHECKOUT_COMPLETED);
    assertThat(completed.type()).isEqualTo("checkout.session.completed");
    assertThat(completed.provider()).isEqualTo("stripe");
    assertThat(completed.checkoutRef()).contains(paid.reference());
    assertThat(completed.paymentRef()).contains(intent);
    assertThat(completed.purchaseRef()).contains("p-7");
    assertThat(completed.createdAt()).isEqualTo(clock.instant());
    assertThat(completed.eventId()).startsWith("evt_");
    assertThat(completed.payload()).isEqualTo(fake.events().get(0).payload());

    CheckoutSession later = stripe.createCheckout(checkout("p-8", Amount.of(USD, "45.00")).build());
    assertThat(verify(fake.payLater(later.reference())).kind()).isEqualTo(Kind.CHECKOUT_COMPLETED);
    assertThat(verify(fake.asyncPaymentSucceeds(later.reference())).kind())
        .isEqualTo(Kind.PAYMENT_SUCCEEDED);
    CheckoutSession failing =
        stripe.createCheckout(checkout("p-9", Amount.of(USD, "45.00")).build());
    fake.payLater(failing.reference());
    ProviderEvent failed = verify(fake.asyncPaymentFails(failing.reference()));
    assertThat(failed.kind()).isEqualTo(Kind.PAYMENT_FAILED);
    assertThat(failed.purchaseRef()).contains("p-9");
    CheckoutSession lapsing =
        stripe.createCheckout(checkout("p-10", Amount.of(USD, "45.00")).build());
    ProviderEvent expired = verify(fake.expire(lapsing.reference()));
    assertThat(expired.kind()).isEqualTo(Kind.CHECKOUT_EXPIRED);
    assertThat(expired.checkoutRef()).contains(lapsing.reference());
    assertThat(expired.paymentRef()).isEmpty();

    ProviderEvent refunded = verify(fake.refundFromDashboard(intent, 1500));
    assertThat(refunded.kind()).isEqualTo(Kind.REFUNDED);
    assertThat(refunded.paymentRef()).contains(intent);
    assertThat(refunded.checkoutRef()).isEmpty();
    String refund = fake.refunds().get(0);
    assertThat(verify(fake.signedEvent("refund.updated", refund)).kind()).isEqualTo(Kind.REFUNDED);
    ProviderEvent charge =
        verify(
            fake.signedEvent(
                "charge.refunded",
                "{\"id\":\"ch_1\",\"object\":\"charge\",\"payment_intent\":\"" + intent + "\"}"));
    assertThat(charge.kind()).isEqualTo(Kind.REFUNDED);
    assertThat(charge.paymentRef()).contains(intent);
    ProviderEvent other =
        verify(fake.signedEvent("customer.created", "{\"id\":\"cus_1\",\"object\":\"customer\"}"));
    assertThat(other.kind()).isEqualTo(Kind.OTHER);
    assertThat(other.checkoutRef()).isEmpty();
    assertThat(other.paymentRef()).isEmpty();
  }

  @Test
  @DisplayName("a tampered, forged, stale, future or unsigned delivery is rejected")
  void forgedDeliveriesRejected() {
    CheckoutSession s = stripe.createCheckout(checkout("p-11", Amount.of(USD, "45.00")).build());
    WebhookDelivery real = fake.pay(s.reference());
    String tampered = real.payload().replace("\"paid\"", "\"PAID\"");
    assertThat(tampered).isNotEqualTo(real.payload());
    assertRejected(tampered, real.signatureHeader(), Reason.SIGNATURE_MISMATCH);
    WebhookDelivery forged =
        FakeStripe.signedEvent(
            "checkout.session.completed",
            fake.session(s.reference()).orElseThrow(),
            "whsec_SomeoneElse000000",
            clock);
    assertRejected(forged.payload(), forged.signatureHeader(), Reason.SIGNATURE_MISMATCH);
    assertThatThrownBy(
            () -> stripe.verifyWebhook(real.payload().getBytes(StandardCharsets.UTF_8), Map.of()))
        .isInstanceOfSatisfying(
            WebhookRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_SIGNATURE));

    clock.advance(Duration.ofMinutes(6));
    assertRejected(real.payload(), real.signatureHeader(), Reason.TIMESTAMP_TOO_OLD);
    long ahead = clock.instant().plus(Duration.ofMinutes(6)).getEpochSecond();
    assertRejected(
        real.payload(),
        FakeStripe.signatureHeader(real.payload(), fake.webhookSecret(), ahead),
        Reason.TIMESTAMP_IN_FUTURE);
  }

  void assertRejected(String payload, String header, Reason reason) {
    assertThatThrownBy(
            () ->
                stripe.verifyWebhook(
                    payload.getBytes(StandardCharsets.UTF_8),
                    Map.of("stripe-signature", List.of(header))))
        .isInstanceOfSatisfying(
            WebhookRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).doesNotContain(fake.webhookSecret());
            });
  }

  @Test
  @DisplayName("a correctly signed body that is not a Stripe event is MALFORMED_PAYLOAD")
  void malformedPayloads() {
    long now = clock.instant().getEpochSecond();
    for (String payload :
        List.of(
            "{not json",
            "[1,2]",
            "{\"type\":\"checkout.session.completed\",\"created\":1,\"data\":{\"object\":{}}}",
            "{\"id\":\"evt_1\",\"created\":1,\"data\":{\"object\":{}}}",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"data\":{\"object\":{}}}",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"created\":1,\"data\":{}}",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"created\":1e30,\"data\":{\"object\":{}}}")) {
      assertRejected(
          payload,
          FakeStripe.signatureHeader(payload, fake.webhookSecret(), now),
          Reason.MALFORMED_PAYLOAD);
    }
    byte[] notUtf8 = {(byte) 0xc3, (byte) 0x28};
    String header =
        FakeStripe.signatureHeader(
            new String(notUtf8, StandardCharsets.ISO_8859_1), fake.webhookSecret(), now);
    assertThatThrownBy(
            () -> stripe.verifyWebhook(notUtf8, Map.of("Stripe-Signature", List.of(header))))
        .isInstanceOf(WebhookRejectedException.class);
  }

  @Test
  @DisplayName("references that are not usable ids are left out; an unusable event id is refused")
  void oddEventShapes() {
    WebhookDelivery expanded =
        fake.signedEvent(
            "checkout.session.completed",
            "{\"id\":\"cs_1\",\"payment_intent\":{\"id\":\"pi_1\"},"
                + "\"client_reference_id\":\" padded \"}");
    ProviderEvent read = verify(expanded);
    assertThat(read.paymentRef()).contains("pi_1");
    assertThat(read.purchaseRef()).isEmpty();
    WebhookDelivery odd =
        fake.signedEvent("refund.created", "{\"id\":\"re_1\",\"payment_intent\":\"pi/../x\"}");
    assertThat(verify(odd).paymentRef()).isEmpty();

    long now = clock.instant().getEpochSecond();
    for (String payload :
        List.of(
            "{\"id\":\" evt_1\",\"type\":\"x\",\"created\":1,\"data\":{\"object\":{}}}",
            "{\"id\":\"evt_1\",\"type\":\" \",\"created\":1,\"data\":{\"object\":{}}}",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"created\":-1,\"data\":{\"object\":{}}}",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"created\":999999999999999,"
                + "\"data\":{\"object\":{}}}")) {
      assertRejected(
          payload,
          FakeStripe.signatureHeader(payload, fake.webhookSecret(), now),
          Reason.MALFORMED_PAYLOAD);
    }
  }

  @Test
  @DisplayName("a Checkout answer without an id or a usable url is an UNKNOWN provider error")
  void oddCheckoutAnswers() {
    fake.inject(
        Fault.status(200, "{\"object\":\"checkout.session\"}"),
        Fault.status(200, "{\"id\":\"cs_1\",\"url\":\"not a url\"}"));
    for (String purchase : List.of("p-odd-1", "p-odd-2")) {
      assertThatThrownBy(
              () -> stripe.createCheckout(checkout(purchase, Amount.of(USD, "1.00")).build()))
          .isInstanceOfSatisfying(
              PaymentProviderException.class,
              e -> assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.UNKNOWN));
    }
  }

  @Test
  @DisplayName("while a secret is rolled, deliveries signed with either verify")
  void rollingSecrets() {
    StripePaymentProvider rolling =
        provider()
            .webhookSecret("whsec_NewSecret0000000000")
            .tolerance(Duration.ofMinutes(1))
            .build();
    WebhookDelivery old = fake.signedEvent("customer.created", "{\"id\":\"cus_1\"}");
    WebhookDelivery fresh =
        FakeStripe.signedEvent(
            "customer.created", "{\"id\":\"cus_2\"}", "whsec_NewSecret0000000000", clock);
    for (WebhookDelivery d : List.of(old, fresh)) {
      assertThat(
              rolling
                  .verifyWebhook(
                      d.payload().getBytes(StandardCharsets.UTF_8),
                      Map.of("Stripe-Signature", List.of(d.signatureHeader())))
                  .eventId())
          .isEqualTo(d.eventId());
    }
    assertThatThrownBy(
            () ->
                provider().webhookSecret("whsec_NewSecret0000000000").webhookSecret("whsec_Third"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageNotContaining("whsec_Third");
    assertThat(rolling.toString())
        .contains("webhook secrets=2")
        .doesNotContain(fake.webhookSecret(), "whsec_NewSecret", fake.secretKey());
  }

  // ------------------------------------------------------------------ the payment, re-read

  @Test
  @DisplayName("fetchPayment: open, paid (with the saved card), delayed, failed and expired")
  void paymentStatuses() {
    CheckoutSession s =
        stripe.createCheckout(
            checkout("p-12", Amount.of(USD, "45.00")).saveForOffSession(true).build());
    PaymentLookup lookup = PaymentLookup.of(s.reference(), Optional.empty());
    PaymentView open = stripe.fetchPayment(lookup);
    assertThat(open.status()).isEqualTo(PaymentStatus.OPEN);
    assertThat(open.paymentRef()).isEmpty();
    assertThat(open.refunds()).isEmpty();
    fake.clearRequests();

    fake.pay(s.reference());
    PaymentView paid = stripe.fetchPayment(lookup);
    String intent = fake.paymentIntentOf(s.reference());
    assertThat(paid.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(paid.checkoutRef()).isEqualTo(s.reference());
    assertThat(paid.purchaseRef()).contains("p-12");
    assertThat(paid.amount()).contains(Amount.of(USD, "45.00"));
    assertThat(paid.paymentRef()).contains(intent);
    assertThat(paid.customer()).hasValueSatisfying(c -> assertThat(c).startsWith("cus_"));
    assertThat(paid.savedPaymentMethod()).hasValueSatisfying(m -> assertThat(m).startsWith("pm_"));
    ReceivedRequest get = only("GET", "/v1/checkout/sessions/" + s.reference());
    assertThat(get.param("expand[0]")).contains("payment_intent");
    assertThat(get.header("Stripe-Version")).contains(StripeHttp.API_VERSION);
    assertThat(only("GET", "/v1/refunds").param("payment_intent")).contains(intent);

    CheckoutSession later =
        stripe.createCheckout(checkout("p-13", Amount.of(USD, "45.00")).build());
    PaymentLookup laterLookup = PaymentLookup.of(later.reference(), Optional.empty());
    fake.payLater(later.reference());
    PaymentView pending = stripe.fetchPayment(laterLookup);
    assertThat(pending.status()).isEqualTo(PaymentStatus.PENDING);
    assertThat(pending.savedPaymentMethod()).isEmpty();
    fake.asyncPaymentSucceeds(later.reference());
    assertThat(stripe.fetchPayment(laterLookup).status()).isEqualTo(PaymentStatus.PAID);

    CheckoutSession failing =
        stripe.createCheckout(checkout("p-14", Amount.of(USD, "45.00")).build());
    fake.payLater(failing.reference());
    fake.asyncPaymentFails(failing.reference());
    assertThat(
            stripe.fetchPayment(PaymentLookup.of(failing.reference(), Optional.empty())).status())
        .isEqualTo(PaymentStatus.FAILED);

    CheckoutSession lapsing =
        stripe.createCheckout(checkout("p-15", Amount.of(USD, "45.00")).build());
    fake.expire(lapsing.reference());
    assertThat(
            stripe.fetchPayment(PaymentLookup.of(lapsing.reference(), Optional.empty())).status())
        .isEqualTo(PaymentStatus.EXPIRED);
  }

  @Test
  @DisplayName("fetchPayment lists every refund of the payment, page after page")
  void refundsListed() {
    CheckoutSession s = stripe.createCheckout(checkout("p-16", Amount.of(USD, "450.00")).build());
    fake.pay(s.reference());
    String intent = fake.paymentIntentOf(s.reference());
    for (int i = 0; i < 101; i++) {
      fake.refundFromDashboard(intent, 1);
    }
    fake.clearRequests();
    PaymentView view = stripe.fetchPayment(PaymentLookup.of(s.reference(), Optional.of(intent)));
    assertThat(view.refunds()).hasSize(101).doesNotHaveDuplicates();
    assertThat(view.refunds())
        .allSatisfy(
            r -> {
              assertThat(r.amount()).isEqualTo(Amount.of(USD, "0.01"));
              assertThat(r.status()).isEqualTo(ProviderRefund.Status.SUCCEEDED);
            });
    List<ReceivedRequest> pages =
        fake.requests().stream().filter(r -> r.path().equals("/v1/refunds")).toList();
    assertThat(pages).hasSize(2);
    assertThat(pages.get(0).param("limit")).contains("100");
    assertThat(pages.get(1).param("starting_after")).isPresent();
  }

  @Test
  @DisplayName("fetchPayment refuses a reference that is not a Stripe id before any call")
  void badReference() {
    assertThatThrownBy(
            () -> stripe.fetchPayment(PaymentLookup.of("cs_1/../balance", Optional.empty())))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> stripe.fetchPayment(PaymentLookup.of("cs_missing", Optional.empty())))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> assertThat(e.providerCode()).contains("resource_missing"));
  }

  @Test
  @DisplayName("Stripe's refund statuses and an unknown session status are read as documented")
  void refundStatusesAndOddAnswers() {
    fake.inject(
        Fault.status(
            200,
            "{\"id\":\"cs_x\",\"status\":\"complete\",\"payment_status\":\"unpaid\","
                + "\"amount_total\":100,\"currency\":\"usd\",\"payment_intent\":{\"id\":\"pi_x\","
                + "\"status\":\"canceled\"}}"),
        Fault.status(
            200,
            "{\"object\":\"list\",\"has_more\":false,\"data\":["
                + "{\"id\":\"re_1\",\"amount\":10,\"currency\":\"usd\",\"status\":\"pending\"},"
                + "{\"id\":\"re_2\",\"amount\":20,\"currency\":\"usd\",\"status\":\"failed\"},"
                + "{\"id\":\"re_3\",\"amount\":30,\"currency\":\"usd\",\"status\":\"canceled\"},"
                + "{\"id\":\"re_4\",\"amount\":40,\"currency\":\"usd\","
                + "\"status\":\"requires_action\"}]}"),
        Fault.status(200, "{\"id\":\"cs_y\",\"status\":\"weird\"}"),
        Fault.status(
            200,
            "{\"id\":\"cs_z\",\"status\":\"complete\",\"payment_status\":\"paid\","
                + "\"amount_total\":100,\"currency\":\"xyz\"}"));
    PaymentView view = stripe.fetchPayment(PaymentLookup.of("cs_x", Optional.empty()));
    assertThat(view.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(view.refunds())
        .extracting(ProviderRefund::status)
        .containsExactly(
            ProviderRefund.Status.PENDING,
            ProviderRefund.Status.FAILED,
            ProviderRefund.Status.FAILED,
            ProviderRefund.Status.PENDING);
    assertThatThrownBy(() -> stripe.fetchPayment(PaymentLookup.of("cs_y", Optional.empty())))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.UNKNOWN));
    // A currency that does not convert gives no amount: the library then refuses to grant.
    PaymentView odd = stripe.fetchPayment(PaymentLookup.of("cs_z", Optional.empty()));
    assertThat(odd.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(odd.amount()).isEmpty();
  }

  // ------------------------------------------------------------------ refunds

  @Test
  @DisplayName("refund: payment_intent and the exact amount under the call's key, replayed once")
  void refundOnTheWire() {
    CheckoutSession s = stripe.createCheckout(checkout("p-17", Amount.of(USD, "45.00")).build());
    fake.pay(s.reference());
    String intent = fake.paymentIntentOf(s.reference());
    RefundCall call = RefundCall.of(intent, Amount.of(USD, "15.00"), IdempotencyKey.of("r-17"));
    ProviderRefund refund = stripe.refund(call);
    assertThat(refund.refundId()).startsWith("re_");
    assertThat(refund.amount()).isEqualTo(Amount.of(USD, "15.00"));
    assertThat(refund.status()).isEqualTo(ProviderRefund.Status.SUCCEEDED);
    ReceivedRequest r = only("POST", "/v1/refunds");
    assertThat(r.params())
        .containsOnly(Map.entry("amount", "1500"), Map.entry("payment_intent", intent));
    assertThat(r.header("Idempotency-Key")).contains("r-17");
    assertThat(stripe.refund(call)).isEqualTo(refund);
    assertThat(fake.refunds()).hasSize(1);
  }

  // ------------------------------------------------------------------ off-session

  @Test
  @DisplayName("off-session: succeeded, authentication required (SCA), declined")
  void offSession() {
    CheckoutSession s =
        stripe.createCheckout(
            checkout("p-18", Amount.of(USD, "45.00")).saveForOffSession(true).build());
    fake.pay(s.reference());
    PaymentView paid = stripe.fetchPayment(PaymentLookup.of(s.reference(), Optional.empty()));
    String customer = paid.customer().orElseThrow();
    String card = paid.savedPaymentMethod().orElseThrow();
    fake.clearRequests();

    OffSessionOutcome ok = stripe.chargeOffSession(charge(customer, card, "topup-1"));
    assertThat(ok).isInstanceOf(OffSessionOutcome.Succeeded.class);
    ReceivedRequest r = only("POST", "/v1/payment_intents");
    assertThat(r.params())
        .containsOnly(
            Map.entry("amount", "4500"),
            Map.entry("confirm", "true"),
            Map.entry("currency", "usd"),
            Map.entry("customer", customer),
            Map.entry("description", "Auto top-up"),
            Map.entry("metadata[purchase]", "topup-1"),
            Map.entry("off_session", "true"),
            Map.entry("payment_method", card));
    assertThat(r.header("Idempotency-Key")).contains("charge-topup-1");
    assertThat(fake.paymentIntent(((OffSessionOutcome.Succeeded) ok).paymentRef()).orElseThrow())
        .contains("\"status\":\"succeeded\"");

    fake.requireAuthentication(card);
    OffSessionOutcome sca = stripe.chargeOffSession(charge(customer, card, "topup-2"));
    assertThat(sca)
        .isInstanceOfSatisfying(
            OffSessionOutcome.AuthenticationRequired.class,
            a -> assertThat(fake.paymentIntent(a.paymentRef())).isPresent());

    fake.declineCard("pm_Declined", "insufficient_funds");
    OffSessionOutcome declined = stripe.chargeOffSession(charge(customer, "pm_Declined", "t-3"));
    assertThat(declined)
        .isInstanceOfSatisfying(
            OffSessionOutcome.Declined.class,
            d -> {
              assertThat(d.code()).isEqualTo("insufficient_funds");
              assertThat(d.message()).contains("declined");
            });
  }

  @Test
  @DisplayName("off-session: processing, 3-D Secure, an expired card; an odd status names itself")
  void offSessionOddAnswers() {
    fake.inject(
        Fault.status(200, "{\"id\":\"pi_slow\",\"status\":\"processing\"}"),
        Fault.status(200, "{\"id\":\"pi_odd\",\"status\":\"requires_capture\"}"),
        Fault.status(200, "{\"id\":\"pi_3ds\",\"status\":\"requires_action\"}"),
        Fault.status(
            402,
            "{\"error\":{\"type\":\"card_error\",\"code\":\"expired_card\","
                + "\"message\":\"Your card has expired.\"}}"),
        Fault.status(400, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"no\"}}"));
    assertThat(stripe.chargeOffSession(charge("cus_1", "pm_1", "o-1")))
        .isEqualTo(new OffSessionOutcome.Processing("pi_slow"));
    assertThatThrownBy(() -> stripe.chargeOffSession(charge("cus_1", "pm_1", "o-1b")))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.UNKNOWN);
              assertThat(e.getMessage()).contains("pi_odd", "requires_capture");
            });
    assertThat(stripe.chargeOffSession(charge("cus_1", "pm_1", "o-2")))
        .isEqualTo(new OffSessionOutcome.AuthenticationRequired("pi_3ds"));
    assertThat(stripe.chargeOffSession(charge("cus_1", "pm_1", "o-3")))
        .isEqualTo(new OffSessionOutcome.Declined("expired_card", "Your card has expired."));
    assertThatThrownBy(() -> stripe.chargeOffSession(charge("cus_1", "pm_1", "o-4")))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.INVALID_REQUEST));
  }

  static OffSessionCharge charge(String customer, String method, String purchase) {
    return new OffSessionCharge(
        customer,
        method,
        Amount.of(USD, "45.00"),
        purchase,
        "Auto top-up",
        IdempotencyKey.of("charge-" + purchase));
  }

  // ------------------------------------------------------------------ off-session, re-read

  /** A paid checkout that saved a card: {customer, payment method}. */
  List<String> savedCard(String purchase, Amount amount) {
    CheckoutSession s =
        stripe.createCheckout(checkout(purchase, amount).saveForOffSession(true).build());
    fake.pay(s.reference());
    PaymentView paid = stripe.fetchPayment(PaymentLookup.of(s.reference(), Optional.empty()));
    return List.of(paid.customer().orElseThrow(), paid.savedPaymentMethod().orElseThrow());
  }

  static OffSessionCharge charge(String customer, String method, String purchase, Amount amount) {
    return new OffSessionCharge(
        customer, method, amount, purchase, "Auto top-up", IdempotencyKey.of("charge-" + purchase));
  }

  @Test
  @DisplayName("fetchOffSessionPayment: a succeeded charge is PAID, read by its PaymentIntent")
  void offSessionFetchedSucceeded() {
    List<String> card = savedCard("p-40", Amount.of(USD, "45.00"));
    OffSessionOutcome outcome = stripe.chargeOffSession(charge(card.get(0), card.get(1), "top-40"));
    String id = ((OffSessionOutcome.Succeeded) outcome).paymentRef();
    fake.clearRequests();

    PaymentView view = stripe.fetchOffSessionPayment(id);
    assertThat(view.checkoutRef()).isEqualTo(id);
    assertThat(view.paymentRef()).contains(id);
    assertThat(view.purchaseRef()).contains("top-40");
    assertThat(view.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(view.amount()).contains(Amount.of(USD, "45.00"));
    assertThat(view.customer()).contains(card.get(0));
    assertThat(view.savedPaymentMethod()).isEmpty();
    assertThat(view.refunds()).isEmpty();
    assertThat(only("GET", "/v1/payment_intents/" + id).header("Stripe-Version"))
        .contains(StripeHttp.API_VERSION);
    assertThat(only("GET", "/v1/refunds").param("payment_intent")).contains(id);

    ProviderRefund refund =
        stripe.refund(RefundCall.of(id, Amount.of(USD, "5.00"), IdempotencyKey.of("r-40")));
    assertThat(stripe.fetchOffSessionPayment(id).refunds()).containsExactly(refund);
  }

  @Test
  @DisplayName("fetchOffSessionPayment: processing is PENDING, then PAID once the debit settles")
  void offSessionProcessingThenSucceeded() {
    List<String> card = savedCard("p-41", Amount.of(USD, "45.00"));
    fake.settleLater(card.get(1));
    OffSessionOutcome outcome = stripe.chargeOffSession(charge(card.get(0), card.get(1), "top-41"));
    assertThat(outcome).isInstanceOf(OffSessionOutcome.Processing.class);
    String id = ((OffSessionOutcome.Processing) outcome).paymentRef();
    fake.clearRequests();

    PaymentView pending = stripe.fetchOffSessionPayment(id);
    assertThat(pending.status()).isEqualTo(PaymentStatus.PENDING);
    assertThat(pending.purchaseRef()).contains("top-41");
    assertThat(pending.amount()).contains(Amount.of(USD, "45.00"));
    assertThat(pending.refunds()).isEmpty();
    // Stripe refunds only a succeeded PaymentIntent: nothing to list yet.
    assertThat(fake.requests()).extracting(ReceivedRequest::path).doesNotContain("/v1/refunds");

    fake.paymentIntentSucceeds(id);
    PaymentView paid = stripe.fetchOffSessionPayment(id);
    assertThat(paid.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(paid.amount()).contains(Amount.of(USD, "45.00"));
    assertThat(fake.events())
        .extracting(WebhookDelivery::type)
        .contains("payment_intent.processing", "payment_intent.succeeded");
  }

  @Test
  @DisplayName("fetchOffSessionPayment: processing, then FAILED when the debit fails")
  void offSessionProcessingThenFailed() {
    List<String> card = savedCard("p-42", Amount.of(USD, "45.00"));
    fake.settleLater(card.get(1));
    String id =
        ((OffSessionOutcome.Processing)
                stripe.chargeOffSession(charge(card.get(0), card.get(1), "top-42")))
            .paymentRef();
    assertThat(stripe.fetchOffSessionPayment(id).status()).isEqualTo(PaymentStatus.PENDING);

    fake.paymentIntentFails(id);
    PaymentView failed = stripe.fetchOffSessionPayment(id);
    assertThat(failed.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(failed.purchaseRef()).contains("top-42");
    assertThat(failed.refunds()).isEmpty();
    assertThatThrownBy(() -> fake.paymentIntentSucceeds(id))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> fake.paymentIntentFails("pi_Nope"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "fetchOffSessionPayment: a charge awaiting authentication reads FAILED, as Stripe says")
  void offSessionAuthenticationRequired() {
    List<String> card = savedCard("p-43", Amount.of(USD, "45.00"));
    fake.requireAuthentication(card.get(1));
    String id =
        ((OffSessionOutcome.AuthenticationRequired)
                stripe.chargeOffSession(charge(card.get(0), card.get(1), "top-43")))
            .paymentRef();
    // Stripe leaves it requires_payment_method until the customer confirms it on-session.
    assertThat(stripe.fetchOffSessionPayment(id).status()).isEqualTo(PaymentStatus.FAILED);
  }

  @Test
  @DisplayName("fetchOffSessionPayment: JPY, a zero-decimal currency, read back exactly")
  void offSessionYen() {
    List<String> card = savedCard("p-44", Amount.of(JPY, "500"));
    Amount yen = Amount.of(JPY, "12345");
    String id =
        ((OffSessionOutcome.Succeeded)
                stripe.chargeOffSession(charge(card.get(0), card.get(1), "top-44", yen)))
            .paymentRef();
    assertThat(fake.paymentIntent(id).orElseThrow()).contains("\"amount\":12345");
    PaymentView view = stripe.fetchOffSessionPayment(id);
    assertThat(view.amount()).contains(yen);
    assertThat(view.amount().orElseThrow().unit()).isEqualTo(JPY);
  }

  @Test
  @DisplayName("fetchOffSessionPayment: an unknown PaymentIntent is INVALID_REQUEST")
  void offSessionUnknown() {
    assertThatThrownBy(() -> stripe.fetchOffSessionPayment("pi_Unknown"))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.INVALID_REQUEST);
              assertThat(e.providerCode()).contains("resource_missing");
            });
    assertThat(only("GET", "/v1/payment_intents/pi_Unknown")).isNotNull();
  }

  @Test
  @DisplayName("fetchOffSessionPayment refuses what is not a Stripe id before any call")
  void offSessionBadReference() {
    for (String bad : List.of("pi_1/../balance", "", "pi 1", "pi_1?expand[]=customer")) {
      assertThatThrownBy(() -> stripe.fetchOffSessionPayment(bad))
          .isInstanceOf(InvalidRequestException.class);
    }
    assertThatThrownBy(() -> stripe.fetchOffSessionPayment(null))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("fetchOffSessionPayment: Stripe's other statuses and odd fields, as documented")
  void offSessionFetchOddAnswers() {
    fake.inject(
        Fault.status(200, "{\"id\":\"pi_a\",\"status\":\"requires_action\"}"),
        Fault.status(200, "{\"id\":\"pi_c\",\"status\":\"requires_confirmation\"}"),
        Fault.status(
            200,
            "{\"id\":\"pi_x\",\"status\":\"canceled\",\"amount\":1.5,\"currency\":\"usd\","
                + "\"customer\":{\"id\":\"cus_9\"},\"metadata\":{\"purchase\":\"\"}}"),
        Fault.status(200, "{\"id\":\"pi_m\",\"status\":\"requires_capture\"}"),
        Fault.status(200, "{\"id\":\"pi_n\"}"));
    PaymentView action = stripe.fetchOffSessionPayment("pi_a");
    assertThat(action.status()).isEqualTo(PaymentStatus.PENDING);
    assertThat(action.amount()).isEmpty();
    assertThat(action.purchaseRef()).isEmpty();
    assertThat(action.customer()).isEmpty();
    assertThat(stripe.fetchOffSessionPayment("pi_c").status()).isEqualTo(PaymentStatus.PENDING);
    PaymentView canceled = stripe.fetchOffSessionPayment("pi_x");
    assertThat(canceled.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(canceled.amount()).isEmpty();
    assertThat(canceled.customer()).contains("cus_9");
    assertThat(canceled.purchaseRef()).isEmpty();
    assertThatThrownBy(() -> stripe.fetchOffSessionPayment("pi_m"))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.UNKNOWN);
              assertThat(e.getMessage()).contains("pi_m", "requires_capture");
            });
    assertThatThrownBy(() -> stripe.fetchOffSessionPayment("pi_n"))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.UNKNOWN));
    assertThat(fake.requests()).extracting(ReceivedRequest::path).doesNotContain("/v1/refunds");
  }

  // ------------------------------------------------------------------ health

  @Test
  @DisplayName("health: connected, down on a failure, degraded for a while after it, connected")
  void healthAfterFailures() {
    ProviderHealth up = stripe.health();
    assertThat(up)
        .isEqualTo(
            new ProviderHealth(ProviderHealth.State.CONNECTED, Optional.empty(), Optional.empty()));
    assertThat(only("GET", "/v1/balance").header("Authorization")).isPresent();

    String error = "{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}";
    fake.inject(Fault.status(500, error), Fault.status(500, error));
    ProviderHealth down = stripe.health();
    assertThat(down.state()).isEqualTo(ProviderHealth.State.DOWN);
    assertThat(down.lastError()).hasValueSatisfying(e -> assertThat(e).contains("500"));
    assertThat(down.lastErrorAt()).contains(clock.instant());

    clock.advance(Duration.ofMinutes(1));
    ProviderHealth degraded = stripe.health();
    assertThat(degraded.state()).isEqualTo(ProviderHealth.State.DEGRADED);
    assertThat(degraded.lastError()).isEqualTo(down.lastError());
    clock.advance(Duration.ofMinutes(5));
    ProviderHealth again = stripe.health();
    assertThat(again.state()).isEqualTo(ProviderHealth.State.CONNECTED);
    assertThat(again.lastErrorAt()).isEqualTo(down.lastErrorAt());
  }

  @Test
  @DisplayName("health: the breaker open is DOWN without a call; half-open and through, DEGRADED")
  void healthFollowsTheBreaker() {
    StripePaymentProvider guarded =
        provider()
            .retries(1, Duration.ofMillis(1), Duration.ofMillis(1))
            .circuitBreaker(2, 100, Duration.ofSeconds(30), 1)
            .degradedFor(Duration.ZERO)
            .build();
    String error = "{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}";
    fake.inject(Fault.status(503, error), Fault.status(503, error));
    assertThat(guarded.health().state()).isEqualTo(ProviderHealth.State.DOWN);
    assertThat(guarded.health().state()).isEqualTo(ProviderHealth.State.DOWN);
    fake.clearRequests();
    ProviderHealth open = guarded.health();
    assertThat(open.state()).isEqualTo(ProviderHealth.State.DOWN);
    assertThat(open.lastError()).hasValueSatisfying(e -> assertThat(e).contains("circuit breaker"));
    assertThat(fake.requests()).isEmpty();
    assertThatThrownBy(() -> guarded.fetchPayment(PaymentLookup.of("cs_1", Optional.empty())))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.CIRCUIT_OPEN));

    clock.advance(Duration.ofSeconds(31));
    assertThat(guarded.health().state()).isEqualTo(ProviderHealth.State.DEGRADED);
    assertThat(guarded.health().state()).isEqualTo(ProviderHealth.State.CONNECTED);
  }

  @Test
  @DisplayName("a refused key: health DOWN, and no secret in any message or toString")
  void secretsNeverShown() {
    String wrongKey = "sk_test_WrongKey98765432";
    StripePaymentProvider wrong =
        StripePaymentProvider.builder(StripeApiKey.of(wrongKey))
            .webhookSecret(fake.webhookSecret())
            .baseUri(fake.baseUri())
            .clock(clock)
            .build();
    ProviderHealth health = wrong.health();
    assertThat(health.state()).isEqualTo(ProviderHealth.State.DOWN);
    assertThat(health.lastError())
        .hasValueSatisfying(e -> assertThat(e).doesNotContain(wrongKey, "98765432"));
    assertThatThrownBy(() -> wrong.createCheckout(checkout("p-19", Amount.of(USD, "1.00")).build()))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.AUTHENTICATION);
              assertThat(e.getMessage()).doesNotContain(wrongKey, "98765432");
            });
    assertThat(wrong.toString())
        .doesNotContain(wrongKey, fake.webhookSecret())
        .contains("sk_test_***");
    assertThat(wrong.name()).isEqualTo("stripe");
  }

  @Test
  @DisplayName("the builder wants a webhook secret and refuses bad settings without echoing them")
  void builderChecks() {
    StripeApiKey key = StripeApiKey.of(fake.secretKey());
    assertThatThrownBy(() -> StripePaymentProvider.builder(key).build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("webhookSecret");
    assertThatThrownBy(() -> StripePaymentProvider.builder(key).webhookSecret("sk_test_oops1234"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageNotContaining("oops1234");
    assertThatThrownBy(
            () ->
                StripePaymentProvider.builder(key)
                    .webhookSecret(fake.webhookSecret())
                    .tolerance(Duration.ofHours(2))
                    .build())
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                StripePaymentProvider.builder(key).circuitBreaker(0, 50, Duration.ofSeconds(1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StripePaymentProvider.builder(key).degradedFor(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidRequestException.class);
  }
}
