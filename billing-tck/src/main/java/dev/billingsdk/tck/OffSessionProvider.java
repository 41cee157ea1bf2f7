package dev.billingsdk.tck;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A provider for the recurring flow kit: every off-session charge succeeds, once per idempotency
 * key (a charge under a key seen before answers as the first and is not taken again), with a
 * payment id unique to the kit's run. Counts what it took.
 */
final class OffSessionProvider implements PaymentProvider {
  final Map<String, OffSessionCharge> taken = new ConcurrentHashMap<>();
  private final String run;

  OffSessionProvider(String run) {
    this.run = run;
  }

  @Override
  public String name() {
    return "offsession";
  }

  @Override
  public CheckoutSession createCheckout(CheckoutRequest request) {
    throw new UnsupportedOperationException("the recurring kit charges saved methods only");
  }

  @Override
  public ProviderEvent verifyWebhook(byte[] body, Map<String, List<String>> headers) {
    throw new UnsupportedOperationException("the recurring kit takes no webhooks");
  }

  @Override
  public PaymentView fetchPayment(PaymentLookup lookup) {
    throw new UnsupportedOperationException("the recurring kit has no checkouts");
  }

  @Override
  public Optional<PaymentLookup> readReturn(Map<String, List<String>> query) {
    return Optional.empty();
  }

  private String ref(OffSessionCharge c) {
    return "pi_" + run + "_" + c.purchaseRef();
  }

  @Override
  public OffSessionOutcome chargeOffSession(OffSessionCharge charge) {
    taken.putIfAbsent(charge.idempotencyKey().value(), charge);
    return new OffSessionOutcome.Succeeded(ref(taken.get(charge.idempotencyKey().value())));
  }

  @Override
  public PaymentView fetchOffSessionPayment(String paymentRef) {
    OffSessionCharge c =
        taken.values().stream().filter(x -> ref(x).equals(paymentRef)).findFirst().orElseThrow();
    return new PaymentView(
        paymentRef,
        Optional.of(c.purchaseRef()),
        PaymentStatus.PAID,
        Optional.of(c.amount()),
        Optional.of(paymentRef),
        Optional.of(c.customer()),
        Optional.empty(),
        List.of());
  }

  @Override
  public ProviderRefund refund(RefundCall call) {
    throw new UnsupportedOperationException("the recurring kit refunds nothing");
  }

  @Override
  public ProviderHealth health() {
    return new ProviderHealth(ProviderHealth.State.CONNECTED, Optional.empty(), Optional.empty());
  }
}
