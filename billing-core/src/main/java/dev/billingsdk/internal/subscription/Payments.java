package dev.billingsdk.internal.subscription;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.catalogue.SubscriptionPlan;
import dev.billingsdk.internal.purchase.OffSessionCharges;
import dev.billingsdk.money.Amount;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.subscription.DunningSchedule;
import dev.billingsdk.subscription.PlanRef;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionChange.Kind;
import dev.billingsdk.subscription.SubscriptionState;
import java.time.Instant;
import java.util.Optional;

/**
 * Paying a subscription's next period with its saved method: attempt {@code k} of period {@code n}
 * is the purchase {@code <subscription>-p<n>-a<k>}, charged off-session once, whoever runs it; its
 * result moves the subscription on the version it was decided on (paid: the period's allowance,
 * then the next version; declined: past due on the dunning schedule, or canceled after the last
 * retry; processing: nothing yet, the next run reads it again).
 */
final class Payments {
  private final OffSessionCharges offSession;
  private final Allowances allowances;
  private final Activation activation;
  private final Moves moves;
  private final DunningSchedule dunning;

  Payments(
      OffSessionCharges offSession,
      Allowances allowances,
      Activation activation,
      Moves moves,
      DunningSchedule dunning) {
    this.offSession = offSession;
    this.allowances = allowances;
    this.activation = activation;
    this.moves = moves;
    this.dunning = dunning;
  }

  /** Charges the next period of {@code s} and applies the result; empty when nothing changed. */
  Optional<SubscriptionChange> payNext(Subscription s, Instant now) {
    int n = s.paidPeriods();
    int k = s.failedAttempts() + 1;
    PlanRef ref = n == 0 ? s.plan() : s.nextPlan().orElse(s.plan());
    SubscriptionPlan plan = allowances.plan(s, ref);
    Amount price =
        plan.price(s.currency())
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        "currency", s.currency(), "is not a currency " + ref + " is sold in"));
    if (s.customer().isEmpty() || s.paymentMethod().isEmpty()) {
      return failed(s, n, k, "no saved payment method", now);
    }
    OffSessionCharges.Result r =
        offSession.charge(
            new OffSessionCharges.Charge(
                s.tenant(),
                s.account(),
                PeriodPurchases.attempt(s.id(), n, k),
                plan,
                price,
                s.provider(),
                s.customer().get(),
                s.paymentMethod().get(),
                plan.name() + ", period " + n));
    return switch (r.status()) {
      case PAID ->
          n == 0
              ? activation.activate(s, r.purchase(), Optional.empty(), Optional.empty(), now)
              : renewed(s, n, ref, price, r.purchase(), now);
      case PROCESSING -> Optional.empty();
      case AUTHENTICATION_REQUIRED, DECLINED -> failed(s, n, k, r.detail(), now);
    };
  }

  private Optional<SubscriptionChange> renewed(
      Subscription s, int n, PlanRef ref, Amount price, Purchase paid, Instant now) {
    Subscription current = s;
    for (int attempt = 0; attempt < 10; attempt++) {
      if (current.paidPeriods() != n || current.state().isFinal()) {
        return Optional.empty();
      }
      Subscription next =
          current.next(
              SubscriptionState.ACTIVE,
              ref,
              Optional.empty(),
              price,
              current.anchor(),
              n + 1,
              current.cancelAtPeriodEnd(),
              Optional.empty(),
              current.customer(),
              current.paymentMethod(),
              0,
              Optional.empty());
      allowances.grantPeriod(next, ref, n, Activation.ACTOR, now);
      Kind kind =
          current.state() == SubscriptionState.PAST_DUE
              ? Kind.RECOVERED
              : ref.equals(current.plan()) ? Kind.RENEWED : Kind.DOWNGRADED;
      Optional<SubscriptionChange> done =
          moves.apply(
              current,
              next,
              kind,
              Activation.ACTOR.id(),
              "period:" + n + ":paid",
              "period " + n + " paid by purchase " + paid.id() + " (" + ref + ")",
              now);
      if (done.isPresent()) {
        return done;
      }
      current = moves.latest(current);
    }
    return Optional.empty();
  }

  /** Attempt {@code k} at period {@code n} failed: past due, canceled after the last retry. */
  Optional<SubscriptionChange> failed(Subscription s, int n, int k, String why, Instant now) {
    Subscription current = s;
    for (int attempt = 0; attempt < 10; attempt++) {
      if (current.paidPeriods() != n
          || current.failedAttempts() >= k
          || current.state().isFinal()) {
        return Optional.empty();
      }
      Subscription next;
      Kind kind;
      String detail;
      if (current.state() == SubscriptionState.INCOMPLETE) {
        next = end(current, SubscriptionState.EXPIRED, k, now);
        kind = Kind.EXPIRED;
        detail = "the first period was not paid: " + why;
      } else if (k > dunning.retries().size()) {
        next = end(current, SubscriptionState.CANCELED, k, now);
        kind = Kind.CANCELED;
        detail = "period " + n + " unpaid after " + k + " attempts: " + why;
      } else {
        next =
            current.next(
                SubscriptionState.PAST_DUE,
                current.plan(),
                current.nextPlan(),
                current.price(),
                current.anchor(),
                n,
                current.cancelAtPeriodEnd(),
                Optional.empty(),
                current.customer(),
                current.paymentMethod(),
                k,
                Optional.of(current.periodStart(n).plus(dunning.retries().get(k - 1))));
        kind = Kind.PAYMENT_FAILED;
        detail = "period " + n + ", attempt " + k + ": " + why;
      }
      Optional<SubscriptionChange> done =
          moves.apply(
              current,
              next,
              kind,
              Activation.ACTOR.id(),
              "period:" + n + ":attempt:" + k + ":failed",
              detail.length() > 1000 ? detail.substring(0, 1000) : detail,
              now);
      if (done.isPresent()) {
        return done;
      }
      current = moves.latest(current);
    }
    return Optional.empty();
  }

  static Subscription end(Subscription s, SubscriptionState state, int failed, Instant now) {
    return s.next(
        state,
        s.plan(),
        Optional.empty(),
        s.price(),
        s.anchor(),
        s.paidPeriods(),
        s.cancelAtPeriodEnd(),
        Optional.of(now),
        s.customer(),
        s.paymentMethod(),
        failed,
        Optional.empty());
  }
}
