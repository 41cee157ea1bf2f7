package dev.billingsdk.purchase;

import dev.billingsdk.money.Amount;
import dev.billingsdk.payment.CheckoutRequest;
import dev.billingsdk.payment.CheckoutSession;
import dev.billingsdk.payment.OffSessionCharge;
import dev.billingsdk.payment.OffSessionOutcome;
import dev.billingsdk.payment.PaymentLookup;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.payment.PaymentStatus;
import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.payment.ProviderHealth;
import dev.billingsdk.payment.ProviderRefund;
import dev.billingsdk.payment.RefundCall;
import dev.billingsdk.payment.WebhookRejectedException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A payment provider for the purchase stories: a seam, not the thing under test. It keeps each
 * checkout's payment as the story sets it; its webhooks are text lines {@code
 * eventId|KIND|checkoutRef|paymentRef} signed by the header {@code x-signature: ok}.
 */
final class ScriptedProvider implements PaymentProvider {
  final Map<String, PaymentView> payments = new ConcurrentHashMap<>();
  final Map<String, CheckoutSession> checkouts = new ConcurrentHashMap<>();
  final List<CheckoutRequest> checkoutCalls = new ArrayList<>();
  final List<RefundCall> refundCalls = new ArrayList<>();
  final AtomicInteger fetchFailures = new AtomicInteger();
  private final AtomicInteger refundIds = new AtomicInteger();

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public synchronized CheckoutSession createCheckout(CheckoutRequest r) {
    checkoutCalls.add(r);
    return checkouts.computeIfAbsent(
        r.idempotencyKey().value(),
        k -> {
          String ref = "cs_" + r.purchaseRef();
          payments.put(
              ref, view(ref, r.purchaseRef(), PaymentStatus.OPEN, r.amount(), null, List.of()));
          return CheckoutSession.of(
              ref, URI.create("https://pay.example/" + ref), Optional.empty());
        });
  }

  static PaymentView view(
      String ref,
      String purchase,
      PaymentStatus status,
      Amount amount,
      String paymentRef,
      List<ProviderRefund> refunds) {
    return new PaymentView(
        ref,
        Optional.of(purchase),
        status,
        Optional.of(amount),
        Optional.ofNullable(paymentRef),
        Optional.empty(),
        Optional.empty(),
        refunds);
  }

  /** The buyer's payment reaches {@code status}, {@code paid} as the provider states it. */
  void pay(String checkoutRef, PaymentStatus status, Amount paid) {
    PaymentView v = payments.get(checkoutRef);
    payments.put(
        checkoutRef,
        view(
            checkoutRef,
            v.purchaseRef().orElseThrow(),
            status,
            paid,
            "pi_" + checkoutRef,
            v.refunds()));
  }

  /** A refund made in the provider's dashboard. */
  ProviderRefund refundInDashboard(String checkoutRef, Amount amount) {
    PaymentView v = payments.get(checkoutRef);
    ProviderRefund r =
        new ProviderRefund(
            "re_" + refundIds.incrementAndGet(), amount, ProviderRefund.Status.SUCCEEDED);
    List<ProviderRefund> all = new ArrayList<>(v.refunds());
    all.add(r);
    payments.put(
        checkoutRef,
        view(
            checkoutRef,
            v.purchaseRef().orElseThrow(),
            v.status(),
            v.amount().orElseThrow(),
            v.paymentRef().orElse(null),
            all));
    return r;
  }

  static byte[] webhook(String eventId, ProviderEvent.Kind kind, String checkoutRef) {
    return (eventId + "|" + kind + "|" + checkoutRef + "|").getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, List<String>> signed() {
    return Map.of("X-Signature", List.of("ok"));
  }

  @Override
  public ProviderEvent verifyWebhook(byte[] body, Map<String, List<String>> headers) {
    boolean ok =
        headers.entrySet().stream()
            .anyMatch(
                e ->
                    e.getKey().equalsIgnoreCase("x-signature")
                        && e.getValue().equals(List.of("ok")));
    if (!ok) {
      throw new WebhookRejectedException(
          name(), WebhookRejectedException.Reason.SIGNATURE_MISMATCH, "bad signature");
    }
    String[] f = new String(body, StandardCharsets.UTF_8).split("\\|", -1);
    if (f.length != 4) {
      throw new WebhookRejectedException(
          name(), WebhookRejectedException.Reason.MALFORMED_PAYLOAD, "fields");
    }
    return new ProviderEvent(
        name(),
        f[0],
        f[1].toLowerCase(java.util.Locale.ROOT),
        ProviderEvent.Kind.valueOf(f[1]),
        Instant.parse("2026-12-01T00:00:00Z"),
        Optional.empty(),
        f[2].isEmpty() ? Optional.empty() : Optional.of(f[2]),
        f[3].isEmpty() ? Optional.empty() : Optional.of(f[3]),
        new String(body, StandardCharsets.UTF_8));
  }

  @Override
  public PaymentView fetchPayment(PaymentLookup lookup) {
    if (fetchFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("the provider's API did not answer (scripted)");
    }
    return payments.get(lookup.checkoutRef());
  }

  /** The return URL names its checkout in {@code checkout}; its {@code status} is ignored. */
  @Override
  public Optional<PaymentLookup> readReturn(Map<String, List<String>> query) {
    List<String> checkout = query.getOrDefault("checkout", List.of());
    return checkout.size() == 1
        ? Optional.of(PaymentLookup.of(checkout.get(0), Optional.empty()))
        : Optional.empty();
  }

  @Override
  public OffSessionOutcome chargeOffSession(OffSessionCharge charge) {
    return new OffSessionOutcome.Succeeded("pi_off_" + charge.purchaseRef());
  }

  @Override
  public PaymentView fetchOffSessionPayment(String paymentRef) {
    throw new UnsupportedOperationException("the purchase stories read off-session payments not");
  }

  @Override
  public synchronized ProviderRefund refund(RefundCall call) {
    refundCalls.add(call);
    String checkoutRef =
        payments.values().stream()
            .filter(v -> v.paymentRef().equals(Optional.of(call.paymentRef())))
            .findFirst()
            .orElseThrow()
            .checkoutRef();
    return refundInDashboard(checkoutRef, call.amount());
  }

  @Override
  public ProviderHealth health() {
    return new ProviderHealth(ProviderHealth.State.CONNECTED, Optional.empty(), Optional.empty());
  }
}
