package dev.billingsdk.tck;

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
 * The payment provider of {@link PurchaseFlowTck}: the kit tests the stores under the purchase
 * flow, so the provider is a script. Each checkout's payment is what the kit sets; webhooks are
 * lines {@code eventId|KIND|checkoutRef} signed by the header {@code x-signature: ok}.
 */
final class ScriptedPaymentProvider implements PaymentProvider {
  private final Map<String, PaymentView> payments = new ConcurrentHashMap<>();
  private final Map<String, CheckoutSession> checkouts = new ConcurrentHashMap<>();
  private final AtomicInteger refundIds = new AtomicInteger();

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public CheckoutSession createCheckout(CheckoutRequest r) {
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

  private static PaymentView view(
      String ref,
      String purchase,
      PaymentStatus status,
      Amount amount,
      @org.jspecify.annotations.Nullable String paymentRef,
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

  private PaymentView payment(String checkoutRef) {
    PaymentView v = payments.get(checkoutRef);
    if (v == null) {
      throw new IllegalStateException("no scripted checkout " + checkoutRef);
    }
    return v;
  }

  void pay(String checkoutRef, Amount paid) {
    PaymentView v = payment(checkoutRef);
    payments.put(
        checkoutRef,
        view(
            checkoutRef,
            v.purchaseRef().orElseThrow(),
            PaymentStatus.PAID,
            paid,
            "pi_" + checkoutRef,
            v.refunds()));
  }

  synchronized void refundInDashboard(String checkoutRef, Amount amount) {
    PaymentView v = payment(checkoutRef);
    List<ProviderRefund> all = new ArrayList<>(v.refunds());
    all.add(
        new ProviderRefund(
            "re_" + refundIds.incrementAndGet(), amount, ProviderRefund.Status.SUCCEEDED));
    payments.put(
        checkoutRef,
        view(
            checkoutRef,
            v.purchaseRef().orElseThrow(),
            v.status(),
            v.amount().orElseThrow(),
            v.paymentRef().orElse(null),
            all));
  }

  static byte[] webhook(String eventId, ProviderEvent.Kind kind, String checkoutRef) {
    return (eventId + "|" + kind + "|" + checkoutRef).getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, List<String>> signed() {
    return Map.of("x-signature", List.of("ok"));
  }

  @Override
  public ProviderEvent verifyWebhook(byte[] body, Map<String, List<String>> headers) {
    if (!List.of("ok").equals(headers.get("x-signature"))) {
      throw new WebhookRejectedException(
          name(), WebhookRejectedException.Reason.SIGNATURE_MISMATCH, "scripted");
    }
    String text = new String(body, StandardCharsets.UTF_8);
    String[] f = text.split("\\|", -1);
    return new ProviderEvent(
        name(),
        f[0],
        f[1].toLowerCase(java.util.Locale.ROOT),
        ProviderEvent.Kind.valueOf(f[1]),
        Instant.parse("2026-12-01T00:00:00Z"),
        Optional.empty(),
        Optional.of(f[2]),
        Optional.empty(),
        text);
  }

  @Override
  public PaymentView fetchPayment(PaymentLookup lookup) {
    return payment(lookup.checkoutRef());
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
    throw new UnsupportedOperationException("the flow kit charges nothing off-session");
  }

  @Override
  public PaymentView fetchOffSessionPayment(String paymentRef) {
    throw new UnsupportedOperationException("the flow kit charges nothing off-session");
  }

  @Override
  public ProviderRefund refund(RefundCall call) {
    throw new UnsupportedOperationException("the flow kit refunds in the dashboard only");
  }

  @Override
  public ProviderHealth health() {
    return new ProviderHealth(ProviderHealth.State.CONNECTED, Optional.empty(), Optional.empty());
  }
}
