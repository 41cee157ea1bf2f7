package dev.billingsdk.internal.subscription;

import dev.billingsdk.Actor;
import dev.billingsdk.TenantId;
import dev.billingsdk.internal.purchase.PlanPayments;
import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionChange.Kind;
import dev.billingsdk.subscription.SubscriptionState;
import java.time.Instant;
import java.util.Optional;

/**
 * The first period paid: a subscription waiting for its checkout (or its trial's end) becomes
 * active, anchored at the payment (or the trial's end), with period 0's allowance. A hosted
 * checkout's payment is told by the purchases as soon as it is paid (a webhook, the buyer's
 * return); a saved method's first charge is activated by whoever charged it; the renewal job
 * activates a paid first period whose telling was lost. Idempotent: the allowance's key and the
 * subscription's version make it happen once.
 */
final class Activation implements PlanPayments {
  static final Actor ACTOR = Actor.system("subscriptions");

  private final SubscriptionStore store;
  private final Allowances allowances;
  private final Moves moves;

  Activation(SubscriptionStore store, Allowances allowances, Moves moves) {
    this.store = store;
    this.allowances = allowances;
    this.moves = moves;
  }

  @Override
  public void paid(Purchase purchase, PaymentView view, Instant now) {
    Optional<PeriodPurchases.Attempt> attempt = PeriodPurchases.parse(purchase.id());
    if (attempt.isEmpty() || attempt.get().period() != 0) {
      return;
    }
    TenantId tenant = purchase.tenant();
    store
        .subscription(tenant, attempt.get().subscription())
        .filter(s -> s.account().equals(purchase.account()))
        // A saved method's first charge is activated by whoever charged it (subscribe, the job).
        .filter(s -> s.state() == SubscriptionState.INCOMPLETE && s.paymentMethod().isEmpty())
        .ifPresent(s -> activate(s, purchase, view.customer(), view.savedPaymentMethod(), now));
  }

  /** Activates {@code s} with its paid first period, unless it is no longer waiting for it. */
  Optional<SubscriptionChange> activate(
      Subscription s,
      Purchase paid,
      Optional<String> customer,
      Optional<String> method,
      Instant now) {
    Subscription current = s;
    for (int attempt = 0; attempt < 10; attempt++) {
      if (current.state() != SubscriptionState.INCOMPLETE
          && current.state() != SubscriptionState.TRIALING
          && !(current.state() == SubscriptionState.PAST_DUE && current.paidPeriods() == 0)) {
        return Optional.empty();
      }
      Instant anchor =
          current.state() == SubscriptionState.INCOMPLETE ? paid.updatedAt() : current.anchor();
      Subscription next =
          current.next(
              SubscriptionState.ACTIVE,
              current.plan(),
              current.nextPlan(),
              current.price(),
              anchor,
              1,
              current.cancelAtPeriodEnd(),
              Optional.empty(),
              customer.or(current::customer),
              method.or(current::paymentMethod),
              0,
              Optional.empty());
      allowances.grantPeriod(next, next.plan(), 0, ACTOR, now);
      Optional<SubscriptionChange> done =
          moves.apply(
              current,
              next,
              current.paidPeriods() == 0 && current.failedAttempts() > 0
                  ? Kind.RECOVERED
                  : Kind.ACTIVATED,
              ACTOR.id(),
              "period:0:paid",
              "first period paid by purchase " + paid.id(),
              now);
      if (done.isPresent()) {
        return done;
      }
      current = moves.latest(current);
    }
    return Optional.empty();
  }
}
