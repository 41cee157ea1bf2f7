package dev.billingsdk.internal.subscription;

import dev.billingsdk.TenantId;
import dev.billingsdk.internal.purchase.PurchaseService;
import dev.billingsdk.payment.PaymentLookup;
import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.subscription.RenewalRun;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionChange.Kind;
import dev.billingsdk.subscription.SubscriptionId;
import dev.billingsdk.subscription.SubscriptionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The renewal job: reads the due subscriptions page by page and moves each as its state asks.
 * Everything it does is keyed (the period's purchase, the allowance's grant, the change's cause),
 * so runs that overlap, or a run after a crash, do each thing once.
 */
final class Renewals {
  /** How long a subscription waits for its hosted checkout before it expires. */
  static final Duration CHECKOUT_WINDOW = Duration.ofDays(1);

  private static final int PAGE = 100;

  private final SubscriptionStore store;
  private final PurchaseService purchases;
  private final Activation activation;
  private final Payments payments;
  private final Moves moves;

  Renewals(
      SubscriptionStore store,
      PurchaseService purchases,
      Activation activation,
      Payments payments,
      Moves moves) {
    this.store = store;
    this.purchases = purchases;
    this.activation = activation;
    this.payments = payments;
    this.moves = moves;
  }

  RenewalRun run(TenantId tenant, Instant now) {
    List<SubscriptionChange> changes = new ArrayList<>();
    Set<SubscriptionId> seen = new HashSet<>();
    while (true) {
      List<Subscription> page =
          store.due(tenant, now, PAGE + seen.size()).stream()
              .filter(s -> !seen.contains(s.id()))
              .limit(PAGE)
              .toList();
      if (page.isEmpty()) {
        return new RenewalRun(tenant, now, changes);
      }
      for (Subscription s : page) {
        seen.add(s.id());
        // A subscription may need several steps at once (a period paid, then its end reached).
        Subscription current = s;
        for (int step = 0; step < 4; step++) {
          Optional<SubscriptionChange> change = step(current, now);
          if (change.isEmpty()) {
            break;
          }
          changes.add(change.get());
          current = moves.latest(current);
          if (current.nextActionAt().map(at -> at.isAfter(now)).orElse(true)) {
            break;
          }
        }
      }
    }
  }

  private Optional<SubscriptionChange> step(Subscription s, Instant now) {
    return switch (s.state()) {
      case INCOMPLETE -> incomplete(s, now);
      case TRIALING, ACTIVE ->
          s.cancelAtPeriodEnd()
              ? moves.apply(
                  s,
                  Payments.end(s, SubscriptionState.CANCELED, s.failedAttempts(), s.paidUntil()),
                  Kind.CANCELED,
                  Activation.ACTOR.id(),
                  "period:" + s.paidPeriods() + ":ended",
                  "canceled at the end of its paid periods",
                  now)
              : payments.payNext(s, now);
      case PAST_DUE -> payments.payNext(s, now);
      case CANCELED, EXPIRED -> Optional.empty();
    };
  }

  /** Waiting for the first period: activate when paid, expire when the checkout window passed. */
  private Optional<SubscriptionChange> incomplete(Subscription s, Instant now) {
    Optional<Purchase> first =
        purchases.purchase(s.tenant(), PeriodPurchases.attempt(s.id(), 0, 1));
    if (first.isPresent() && first.get().state().wasPaid()) {
      Purchase paid = first.get();
      Optional<String> customer = s.customer();
      Optional<String> method = s.paymentMethod();
      if (method.isEmpty() && paid.checkoutRef().isPresent()) {
        PaymentView view =
            purchases
                .provider(paid.provider())
                .fetchPayment(PaymentLookup.of(paid.checkoutRef().get(), paid.paymentRef()));
        customer = view.customer();
        method = view.savedPaymentMethod();
      }
      return activation.activate(s, paid, customer, method, now);
    }
    if (s.paymentMethod().isPresent()) {
      return payments.payNext(s, now);
    }
    if (!now.isBefore(s.createdAt().plus(CHECKOUT_WINDOW))) {
      return moves.apply(
          s,
          Payments.end(s, SubscriptionState.EXPIRED, 0, now),
          Kind.EXPIRED,
          Activation.ACTOR.id(),
          "checkout:expired",
          "the first period's checkout was not paid within " + CHECKOUT_WINDOW,
          now);
    }
    return Optional.empty();
  }
}
