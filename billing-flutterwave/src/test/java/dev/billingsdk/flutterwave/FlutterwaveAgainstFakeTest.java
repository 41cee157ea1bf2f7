package dev.billingsdk.flutterwave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.flutterwave.testing.FakeFlutterwave;
import dev.billingsdk.flutterwave.testing.FakeTransaction;
import dev.billingsdk.flutterwave.testing.Fault;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.CheckoutRequest;
import dev.billingsdk.payment.OffSessionCharge;
import dev.billingsdk.payment.OffSessionOutcome;
import dev.billingsdk.payment.PaymentLookup;
import dev.billingsdk.payment.PaymentProviderException;
import dev.billingsdk.payment.PaymentStatus;
import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.payment.ProviderHealth;
import dev.billingsdk.payment.ProviderRefund;
import dev.billingsdk.payment.RefundCall;
import dev.billingsdk.testkit.TestClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The adapter against {@link FakeFlutterwave} rather than a stub: the card token saved by a first
 * payment charged off-session (succeeded, declined, asking for authentication, retried after an
 * unknown outcome), refunds completed and pending, and the health check.
 */
class FlutterwaveAgainstFakeTest {
  static final CurrencyUnit NGN = CurrencyUnit.of("NGN");
  static final CurrencyUnit UGX = CurrencyUnit.of("UGX");

  /**
   * Each request's timeout: long enough for a loaded CI machine (a tighter one cut answers short
   * there), short enough for the timeout stories, whose held request waits three times as long.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  final TestClock clock = new TestClock(Instant.parse("2026-12-03T09:00:00Z"));
  final FakeFlutterwave fake = FakeFlutterwave.start(clock);
  final FlutterwavePaymentProvider provider =
      FlutterwavePaymentProvider.builder(FlutterwaveSecretKey.of(fake.secretKey()))
          .webhookSecretHash(FlutterwaveSecretHash.of(fake.secretHash()))
          .baseUri(fake.baseUri())
          .clock(clock)
          .requestTimeout(TIMEOUT)
          .maxAttempts(1)
          .build();

  @AfterEach
  void stop() {
    fake.close();
  }

  /** A first payment by card: the view that names the saved token and the customer. */
  PaymentView firstPayment(String txRef) {
    return firstPayment(txRef, Amount.of(NGN, "45000.00"));
  }

  PaymentView firstPayment(String txRef, Amount price) {
    provider.createCheckout(
        CheckoutRequest.builder(txRef, price)
            .description("Growth: 5,000 credits")
            .successUrl(URI.create("https://app.example/paid"))
            .cancelUrl(URI.create("https://app.example/pricing"))
            .idempotencyKey(IdempotencyKey.of("checkout-" + txRef))
            .customerEmail("ada@example.com")
            .build());
    FakeTransaction paid = fake.pay(txRef);
    PaymentView view =
        provider.fetchPayment(PaymentLookup.of(txRef, Optional.of(Long.toString(paid.id()))));
    assertThat(view.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(view.amount()).contains(price);
    assertThat(view.savedPaymentMethod()).contains(paid.token());
    assertThat(view.customer()).contains("ada@example.com");
    return view;
  }

  OffSessionCharge topUp(PaymentView first, String purchase) {
    return topUp(first, purchase, Amount.of(NGN, "45000.00"));
  }

  OffSessionCharge topUp(PaymentView first, String purchase, Amount amount) {
    return new OffSessionCharge(
        first.customer().orElseThrow(),
        first.savedPaymentMethod().orElseThrow(),
        amount,
        purchase,
        "Auto top-up: 5,000 credits",
        IdempotencyKey.of("topup-" + purchase));
  }

  long posts(String path) {
    return fake.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().equals(path))
        .count();
  }

  @Test
  @DisplayName("the saved card is charged off-session and the charge verified before it counts")
  void tokenizedChargeSucceeds() {
    PaymentView first = firstPayment("p-1");
    OffSessionOutcome outcome = provider.chargeOffSession(topUp(first, "p-2"));
    assertThat(outcome).isInstanceOf(OffSessionOutcome.Succeeded.class);
    String id = ((OffSessionOutcome.Succeeded) outcome).paymentRef();
    assertThat(fake.transaction(Long.parseLong(id)).txRef()).isEqualTo("p-2");
    assertThat(posts("/v3/tokenized-charges")).isEqualTo(1);
    // Asked again for the same purchase (a host retrying): the first charge, not a second one.
    assertThat(provider.chargeOffSession(topUp(first, "p-2"))).isEqualTo(outcome);
    assertThat(posts("/v3/tokenized-charges")).isEqualTo(1);
  }

  @Test
  @DisplayName("a declined card and a bank asking for OTP are outcomes, not errors")
  void declinedAndAuthentication() {
    PaymentView first = firstPayment("p-3");
    String token = first.savedPaymentMethod().orElseThrow();
    fake.declineNext(token, "Insufficient Funds");
    assertThat(provider.chargeOffSession(topUp(first, "p-4")))
        .isEqualTo(new OffSessionOutcome.Declined("declined", "Insufficient Funds"));
    fake.requireAuthenticationNext(token);
    assertThat(provider.chargeOffSession(topUp(first, "p-5")))
        .isInstanceOf(OffSessionOutcome.AuthenticationRequired.class);
  }

  @Test
  @DisplayName("a charge that times out is not sent again; asking again finds the one that ran")
  void chargeTimesOut() {
    PaymentView first = firstPayment("p-6");
    // The lookup by tx_ref finds nothing (as the fake would say); the charge itself is held.
    fake.inject(
        Fault.status(
            404, "{\"status\":\"error\",\"message\":\"No transaction was found\",\"data\":null}"),
        Fault.delay(TIMEOUT.multipliedBy(3)));
    assertThatThrownBy(() -> provider.chargeOffSession(topUp(first, "p-7")))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.UNAVAILABLE));
    // The held request still runs at Flutterwave once the fake serves it.
    await(() -> fake.transactions("p-7").size() == 1);
    assertThat(provider.chargeOffSession(topUp(first, "p-7")))
        .isInstanceOf(OffSessionOutcome.Succeeded.class);
    assertThat(posts("/v3/tokenized-charges")).isEqualTo(1);
  }

  /** Polls for something the fake does on its own thread; fails after 10 s. */
  static void await(BooleanSupplier done) {
    for (int i = 0; i < 1000 && !done.getAsBoolean(); i++) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    assertThat(done.getAsBoolean()).as("the fake served the held request").isTrue();
  }

  @Test
  @DisplayName("fetchOffSessionPayment: a successful tokenized charge is PAID, read by its id")
  void offSessionFetchedSucceeded() {
    PaymentView first = firstPayment("p-20");
    String id =
        ((OffSessionOutcome.Succeeded) provider.chargeOffSession(topUp(first, "p-21")))
            .paymentRef();
    fake.clearRequests();

    PaymentView view = provider.fetchOffSessionPayment(id);
    assertThat(view.checkoutRef()).isEqualTo(id);
    assertThat(view.paymentRef()).contains(id);
    assertThat(view.purchaseRef()).contains("p-21");
    assertThat(view.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(view.amount()).contains(Amount.of(NGN, "45000.00"));
    assertThat(view.customer()).contains("ada@example.com");
    assertThat(view.savedPaymentMethod()).isEmpty();
    assertThat(view.refunds()).isEmpty();
    assertThat(fake.requests())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("GET");
              assertThat(r.path()).isEqualTo("/v3/transactions/" + id + "/verify");
            });
  }

  @Test
  @DisplayName("fetchOffSessionPayment: a pending charge is PENDING, then PAID once it settles")
  void offSessionPendingThenSucceeded() {
    PaymentView first = firstPayment("p-22");
    fake.pendingNext(first.savedPaymentMethod().orElseThrow());
    OffSessionOutcome outcome = provider.chargeOffSession(topUp(first, "p-23"));
    assertThat(outcome).isInstanceOf(OffSessionOutcome.Processing.class);
    String id = ((OffSessionOutcome.Processing) outcome).paymentRef();

    PaymentView pending = provider.fetchOffSessionPayment(id);
    assertThat(pending.status()).isEqualTo(PaymentStatus.PENDING);
    assertThat(pending.purchaseRef()).contains("p-23");
    assertThat(pending.amount()).contains(Amount.of(NGN, "45000.00"));

    fake.settle(Long.parseLong(id));
    PaymentView paid = provider.fetchOffSessionPayment(id);
    assertThat(paid.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(paid.savedPaymentMethod()).isEmpty();
  }

  @Test
  @DisplayName("fetchOffSessionPayment: a pending charge, then FAILED when it is not completed")
  void offSessionPendingThenFailed() {
    PaymentView first = firstPayment("p-24");
    fake.pendingNext(first.savedPaymentMethod().orElseThrow());
    String id =
        ((OffSessionOutcome.Processing) provider.chargeOffSession(topUp(first, "p-25")))
            .paymentRef();
    assertThat(provider.fetchOffSessionPayment(id).status()).isEqualTo(PaymentStatus.PENDING);

    fake.failPending(Long.parseLong(id));
    PaymentView failed = provider.fetchOffSessionPayment(id);
    assertThat(failed.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(failed.purchaseRef()).contains("p-25");
  }

  @Test
  @DisplayName("fetchOffSessionPayment: UGX, a currency without decimals, read back exactly")
  void offSessionShillings() {
    PaymentView first = firstPayment("p-26", Amount.of(UGX, "5000"));
    Amount shillings = Amount.of(UGX, "12345");
    String id =
        ((OffSessionOutcome.Succeeded) provider.chargeOffSession(topUp(first, "p-27", shillings)))
            .paymentRef();
    assertThat(fake.transaction(Long.parseLong(id)).amount()).isEqualByComparingTo("12345");
    PaymentView view = provider.fetchOffSessionPayment(id);
    assertThat(view.amount()).contains(shillings);
    assertThat(view.amount().orElseThrow().unit()).isEqualTo(UGX);
  }

  @Test
  @DisplayName("fetchOffSessionPayment: a transaction Flutterwave does not know is INVALID_REQUEST")
  void offSessionUnknown() {
    assertThatThrownBy(() -> provider.fetchOffSessionPayment("999999999"))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.INVALID_REQUEST));
    assertThat(fake.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.path()).isEqualTo("/v3/transactions/999999999/verify"));
  }

  @Test
  @DisplayName("fetchOffSessionPayment refuses what is not a transaction id before any call")
  void offSessionBadReference() {
    for (String bad :
        java.util.List.of("abc", "", "12/../1", "-1", "1234567890123456789", "flw-t1nf-1")) {
      assertThatThrownBy(() -> provider.fetchOffSessionPayment(bad))
          .isInstanceOf(InvalidRequestException.class);
    }
    assertThatThrownBy(() -> provider.fetchOffSessionPayment(null))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("fetchOffSessionPayment: an answer without a transaction object is UNKNOWN")
  void offSessionNoData() {
    fake.inject(Fault.status(200, "{\"status\":\"success\",\"message\":\"ok\",\"data\":[]}"));
    assertThatThrownBy(() -> provider.fetchOffSessionPayment("4975363"))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.UNKNOWN);
              assertThat(e.getMessage()).contains("4975363");
            });
  }

  @Test
  @DisplayName(
      "refunds, completed and pending, each by Flutterwave's id; more than is left refused")
  void refunds() {
    firstPayment("p-8");
    String paymentRef = Long.toString(fake.transactions("p-8").get(0).id());
    ProviderRefund first =
        provider.refund(
            RefundCall.of(paymentRef, Amount.of(NGN, "15000.00"), IdempotencyKey.of("r-1")));
    assertThat(first.status()).isEqualTo(ProviderRefund.Status.SUCCEEDED);
    assertThat(first.amount()).isEqualTo(Amount.of(NGN, "15000.00"));
    fake.refundsPendingNext();
    ProviderRefund second =
        provider.refund(
            RefundCall.of(paymentRef, Amount.of(NGN, "10000.50"), IdempotencyKey.of("r-2")));
    assertThat(second.status()).isEqualTo(ProviderRefund.Status.PENDING);
    assertThat(second.refundId()).isNotEqualTo(first.refundId());
    assertThatThrownBy(
            () ->
                provider.refund(
                    RefundCall.of(
                        paymentRef, Amount.of(NGN, "20000.00"), IdempotencyKey.of("r-3"))))
        .isInstanceOfSatisfying(
            PaymentProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(PaymentProviderException.Kind.INVALID_REQUEST));
    assertThat(fake.refunds(Long.parseLong(paymentRef))).hasSize(2);
  }

  @Test
  @DisplayName("health: connected, then down with the error while Flutterwave answers 500s")
  void health() {
    assertThat(provider.health().state()).isEqualTo(ProviderHealth.State.CONNECTED);
    fake.inject(Fault.status(500, "{\"status\":\"error\",\"message\":\"down\",\"data\":null}"));
    ProviderHealth down = provider.health();
    assertThat(down.state()).isEqualTo(ProviderHealth.State.DOWN);
    assertThat(down.lastError().orElseThrow()).contains("500").doesNotContain(fake.secretKey());
    assertThat(down.lastErrorAt()).contains(clock.instant());
    assertThat(provider.health().state()).isEqualTo(ProviderHealth.State.DEGRADED);
    clock.advance(FlutterwavePaymentProvider.DEGRADED_FOR.plusSeconds(1));
    assertThat(provider.health().state()).isEqualTo(ProviderHealth.State.CONNECTED);
  }
}
