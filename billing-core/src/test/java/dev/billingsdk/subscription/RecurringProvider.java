package dev.billingsdk.subscription;

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
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A payment provider for the subscription stories: a seam, not the thing under test. A checkout is
 * paid when the story says so, saving the method {@code pm_card} of customer {@code cus_1};
 * off-session charges succeed unless the story queued other outcomes; a charge under a key seen
 * before answers as the first time and is not charged again, as a provider's idempotency does.
 */
public final class RecurringProvider implements PaymentProvider {
  public final Map<String, PaymentView> checkouts = new ConcurrentHashMap<>();
  final Map<String, OffSessionOutcome> byKey = new ConcurrentHashMap<>();
  public final Map<String, PaymentView> offSession = new ConcurrentHashMap<>();
  public final List<OffSessionCharge> charged = new ArrayList<>();
  final List<CheckoutRequest> checkoutCalls = new ArrayList<>();
  private final Deque<OffSessionOutcome> next = new ArrayDeque<>();

  @Override
  public String name() {
    return "recurring";
  }

  @Override
  public synchronized CheckoutSession createCheckout(CheckoutRequest r) {
    checkoutCalls.add(r);
    String ref = "cs_" + r.purchaseRef();
    checkouts.putIfAbsent(
        ref,
        new PaymentView(
            ref,
            Optional.of(r.purchaseRef()),
            PaymentStatus.OPEN,
            Optional.of(r.amount()),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of()));
    return CheckoutSession.of(ref, URI.create("https://pay.example/" + ref), Optional.empty());
  }

  /** The buyer pays the checkout, and the card is saved. */
  public synchronized void payCheckout(String ref) {
    payCheckout(ref, true);
  }

  /** The buyer pays the checkout; the card is saved only if {@code save}. */
  public synchronized void payCheckout(String ref, boolean save) {
    PaymentView v = checkouts.get(ref);
    checkouts.put(
        ref,
        new PaymentView(
            ref,
            v.purchaseRef(),
            PaymentStatus.PAID,
            v.amount(),
            Optional.of("pi_" + ref),
            save ? Optional.of("cus_1") : Optional.empty(),
            save ? Optional.of("pm_card") : Optional.empty(),
            List.of()));
  }

  /** The next off-session charges answer these, in order (then: succeeded). */
  public synchronized void queue(OffSessionOutcome... outcomes) {
    next.addAll(List.of(outcomes));
  }

  @Override
  public ProviderEvent verifyWebhook(byte[] body, Map<String, List<String>> headers) {
    throw new UnsupportedOperationException("the stories use returns, not webhooks");
  }

  @Override
  public PaymentView fetchPayment(PaymentLookup lookup) {
    return checkouts.get(lookup.checkoutRef());
  }

  @Override
  public Optional<PaymentLookup> readReturn(Map<String, List<String>> query) {
    return Optional.ofNullable(query.get("session_id"))
        .map(v -> PaymentLookup.of(v.get(0), Optional.empty()));
  }

  @Override
  public synchronized OffSessionOutcome chargeOffSession(OffSessionCharge charge) {
    OffSessionOutcome seen = byKey.get(charge.idempotencyKey().value());
    if (seen != null) {
      return seen;
    }
    OffSessionOutcome queued = next.poll();
    // Each charge its own payment id, whatever the queued outcome named.
    String ref = "pi_" + charge.purchaseRef();
    OffSessionOutcome outcome =
        queued instanceof OffSessionOutcome.Processing
            ? new OffSessionOutcome.Processing(ref)
            : queued instanceof OffSessionOutcome.AuthenticationRequired
                ? new OffSessionOutcome.AuthenticationRequired(ref)
                : queued instanceof OffSessionOutcome.Declined
                    ? queued
                    : new OffSessionOutcome.Succeeded(ref);
    byKey.put(charge.idempotencyKey().value(), outcome);
    if (!(outcome instanceof OffSessionOutcome.Declined)) {
      charged.add(charge);
      PaymentStatus status =
          outcome instanceof OffSessionOutcome.Succeeded
              ? PaymentStatus.PAID
              : PaymentStatus.PENDING;
      offSession.put(ref, offSessionView(charge, ref, status));
    }
    return outcome;
  }

  /** A charge that was processing ends with {@code status}. */
  public synchronized void settle(String ref, PaymentStatus status) {
    PaymentView v = offSession.get(ref);
    offSession.put(
        ref,
        new PaymentView(
            ref,
            v.purchaseRef(),
            status,
            v.amount(),
            v.paymentRef(),
            v.customer(),
            Optional.empty(),
            List.of()));
  }

  private static PaymentView offSessionView(OffSessionCharge c, String ref, PaymentStatus status) {
    return new PaymentView(
        ref,
        Optional.of(c.purchaseRef()),
        status,
        Optional.of(c.amount()),
        Optional.of(ref),
        Optional.of(c.customer()),
        Optional.empty(),
        List.of());
  }

  @Override
  public PaymentView fetchOffSessionPayment(String paymentRef) {
    return offSession.get(paymentRef);
  }

  @Override
  public ProviderRefund refund(RefundCall call) {
    throw new UnsupportedOperationException("the subscription stories refund nothing");
  }

  @Override
  public ProviderHealth health() {
    return new ProviderHealth(ProviderHealth.State.CONNECTED, Optional.empty(), Optional.empty());
  }
}
