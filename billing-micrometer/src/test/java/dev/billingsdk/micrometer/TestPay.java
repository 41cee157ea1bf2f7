package dev.billingsdk.micrometer;

import dev.billingsdk.payment.CheckoutRequest;
import dev.billingsdk.payment.CheckoutSession;
import dev.billingsdk.payment.OffSessionCharge;
import dev.billingsdk.payment.OffSessionOutcome;
import dev.billingsdk.payment.PaymentLookup;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.payment.ProviderHealth;
import dev.billingsdk.payment.ProviderRefund;
import dev.billingsdk.payment.RefundCall;
import dev.billingsdk.payment.WebhookRejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written payment provider for the seams these tests need: a webhook check (signed by the
 * header {@code x-signature: ok}, the body is the event id) and a health the test sets, counting
 * how often it is asked. Everything else is not used here and refuses.
 */
final class TestPay implements PaymentProvider {
  final AtomicInteger healthChecks = new AtomicInteger();
  volatile ProviderHealth health =
      new ProviderHealth(ProviderHealth.State.CONNECTED, Optional.empty(), Optional.empty());
  volatile boolean healthThrows;

  static ProviderHealth health(ProviderHealth.State state) {
    return new ProviderHealth(state, Optional.empty(), Optional.empty());
  }

  @Override
  public String name() {
    return "testpay";
  }

  @Override
  public ProviderEvent verifyWebhook(byte[] body, Map<String, List<String>> headers) {
    if (!List.of("ok").equals(headers.get("x-signature"))) {
      throw new WebhookRejectedException(
          name(), WebhookRejectedException.Reason.SIGNATURE_MISMATCH, "no valid signature");
    }
    String id = new String(body, StandardCharsets.UTF_8);
    return new ProviderEvent(
        name(),
        id,
        "other",
        ProviderEvent.Kind.OTHER,
        Instant.parse("2026-03-01T10:00:00Z"),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        id);
  }

  @Override
  public ProviderHealth health() {
    healthChecks.incrementAndGet();
    if (healthThrows) {
      throw new IllegalStateException("health endpoint unreachable");
    }
    return health;
  }

  @Override
  public CheckoutSession createCheckout(CheckoutRequest request) {
    throw new UnsupportedOperationException();
  }

  @Override
  public PaymentView fetchPayment(PaymentLookup lookup) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<PaymentLookup> readReturn(Map<String, List<String>> query) {
    throw new UnsupportedOperationException();
  }

  @Override
  public OffSessionOutcome chargeOffSession(OffSessionCharge charge) {
    throw new UnsupportedOperationException();
  }

  @Override
  public PaymentView fetchOffSessionPayment(String paymentRef) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ProviderRefund refund(RefundCall call) {
    throw new UnsupportedOperationException();
  }
}
