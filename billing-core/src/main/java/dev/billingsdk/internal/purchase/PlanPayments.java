package dev.billingsdk.internal.purchase;

import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.purchase.Purchase;
import java.time.Instant;

/**
 * Told when a subscription plan's purchase is paid, right after the purchase moved to PAID: the
 * subscriptions start or renew what it pays for. A process that dies before telling leaves the
 * subscription where its renewal job finds the paid purchase and finishes, so implementations are
 * idempotent.
 */
@FunctionalInterface
public interface PlanPayments {

  /** Nothing is told: purchases without subscriptions. */
  PlanPayments NONE = (purchase, view, now) -> {};

  void paid(Purchase purchase, PaymentView view, Instant now);
}
