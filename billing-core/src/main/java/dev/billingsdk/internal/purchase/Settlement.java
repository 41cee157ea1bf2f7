package dev.billingsdk.internal.purchase;

import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.event.PurchaseUpdated.Change;
import dev.billingsdk.money.Amount;
import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.WebhookOutcome.Effect;
import java.time.Instant;
import java.util.Optional;

/**
 * A purchase paid, as the provider's API states it: checked against the purchase, a package's
 * credits granted once, the purchase moved to PAID, a plan's subscription told. Shared by the
 * hosted checkout's webhooks and returns and by off-session charges.
 */
final class Settlement {
  private final Transitions transitions;
  private final Refunds refunds;
  private final PlanPayments plans;

  Settlement(Transitions transitions, Refunds refunds, PlanPayments plans) {
    this.transitions = transitions;
    this.refunds = refunds;
    this.plans = plans;
  }

  Effect paid(Purchase purchase, PaymentView view, String cause, Instant now) {
    if (purchase.state().wasPaid()) {
      return Effect.NO_CHANGE;
    }
    Optional<String> mismatch = mismatch(purchase, view);
    if (mismatch.isPresent() || !purchase.state().canMoveTo(PurchaseState.PAID)) {
      String why =
          mismatch.orElse("the provider was paid for a purchase that is " + purchase.state());
      return transitions.review(purchase, cause, why, now);
    }
    Amount paidAmount = view.amount().orElseThrow();
    String detail =
        paidAmount.equals(purchase.amount())
            ? "paid"
            : "paid " + paidAmount + ", more than the price " + purchase.amount();
    if (purchase.item().kind() == CatalogueItem.Kind.CREDIT_PACKAGE) {
      refunds.grantPackage(purchase, now);
    }
    Transitions.Moved paid =
        transitions.move(
            purchase, PurchaseState.PAID, cause, detail, Optional.empty(), view.paymentRef(), now);
    if (!paid.byThisCall()) {
      return Effect.NO_CHANGE;
    }
    transitions.publish(paid.purchase(), Change.PAID, paid.purchase().amount(), "", now);
    if (purchase.item().kind() == CatalogueItem.Kind.SUBSCRIPTION_PLAN) {
      plans.paid(paid.purchase(), view, now);
    }
    return Effect.PAID;
  }

  /**
   * Why the provider's payment is not this purchase's, if it is not: another currency, or less than
   * the price (a partial payment). More than the price pays it; the excess is the provider's to
   * refund, and the transition's detail names it.
   */
  static Optional<String> mismatch(Purchase purchase, PaymentView view) {
    if (view.amount().isEmpty()) {
      return Optional.of("the provider stated no amount");
    }
    Amount paid = view.amount().get();
    if (!paid.unit().equals(purchase.amount().unit())) {
      return Optional.of(
          "paid in " + paid.unit().code() + ", the purchase is " + purchase.amount());
    }
    if (paid.compareTo(purchase.amount()) < 0) {
      return Optional.of("paid " + paid + ", less than the purchase's " + purchase.amount());
    }
    if (view.purchaseRef().isPresent() && !view.purchaseRef().get().equals(purchase.id().value())) {
      return Optional.of("the payment names purchase " + view.purchaseRef().get());
    }
    return Optional.empty();
  }
}
