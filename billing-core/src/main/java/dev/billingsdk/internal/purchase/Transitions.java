package dev.billingsdk.internal.purchase;

import dev.billingsdk.event.PurchaseUpdated;
import dev.billingsdk.event.PurchaseUpdated.Change;
import dev.billingsdk.internal.event.Events;
import dev.billingsdk.money.Amount;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseConflictException;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.PurchaseTransition;
import dev.billingsdk.purchase.WebhookOutcome.Effect;
import dev.billingsdk.spi.PurchaseStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Moves purchases: one transition stored on the version it was decided on, decided again on the
 * latest version when another process moved the purchase first; a cause already applied is not
 * applied again. Publishes the purchase's events.
 */
final class Transitions {
  /** Attempts of one transition against processes moving the same purchase. */
  private static final int ATTEMPTS = 16;

  private final PurchaseStore purchases;
  private final Events events;

  Transitions(PurchaseStore purchases, Events events) {
    this.purchases = purchases;
    this.events = events;
  }

  Purchase latest(Purchase p) {
    return purchases
        .purchase(p.tenant(), p.id())
        .orElseThrow(() -> new PurchaseConflictException(p.id(), "is not stored"));
  }

  boolean applied(Purchase p, String cause) {
    return purchases.transitions(p.tenant(), p.id()).stream()
        .anyMatch(t -> t.cause().equals(cause));
  }

  /** A step's result: the purchase after it, and whether this call made the step. */
  record Moved(Purchase purchase, boolean byThisCall) {}

  /**
   * Moves the purchase to {@code to} unless it is there already or its state does not lead there
   * (then it is returned as it is, for the caller to judge).
   */
  Moved move(
      Purchase current,
      PurchaseState to,
      String cause,
      String detail,
      Optional<String> checkoutRef,
      Optional<String> paymentRef,
      Instant now) {
    return step(current, to, cause, detail, checkoutRef, paymentRef, Optional.empty(), false, now);
  }

  /**
   * Stores one step; returns the purchase after it, or the latest purchase when the step is no
   * longer possible (state reached or left, cause applied).
   */
  Moved step(
      Purchase current,
      PurchaseState to,
      String cause,
      String detail,
      Optional<String> checkoutRef,
      Optional<String> paymentRef,
      Optional<Amount> refunded,
      boolean review,
      Instant now) {
    Purchase latest = current;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      boolean stays = latest.state() == to;
      boolean staysOnPurpose = stays && (review || refunded.isPresent());
      if ((stays && !staysOnPurpose) || (!stays && !latest.state().canMoveTo(to))) {
        return new Moved(latest, false);
      }
      PurchaseTransition t =
          new PurchaseTransition(
              latest.tenant(),
              latest.id(),
              latest.version() + 1,
              latest.state(),
              to,
              now,
              cause,
              detail,
              checkoutRef,
              paymentRef,
              refunded.orElse(Amount.zero(latest.amount().unit())),
              review);
      Optional<Purchase> after = purchases.transition(latest, t);
      if (after.isPresent()) {
        return new Moved(after.get(), true);
      }
      latest = latest(latest);
      if (applied(latest, cause)) {
        return new Moved(latest, false);
      }
    }
    throw new PurchaseConflictException(
        current.id(), "kept changing while moving to " + to + " (" + ATTEMPTS + " attempts)");
  }

  /** A payment that failed or a checkout that expired. */
  Effect finish(Purchase purchase, PurchaseState to, Change change, String cause, Instant now) {
    Moved after =
        move(
            purchase,
            to,
            cause,
            change.name().toLowerCase(java.util.Locale.ROOT),
            Optional.empty(),
            Optional.empty(),
            now);
    if (!after.byThisCall()) {
      return Effect.NO_CHANGE;
    }
    publish(after.purchase(), change, after.purchase().amount(), "", now);
    return change == Change.FAILED ? Effect.FAILED : Effect.EXPIRED;
  }

  /** Marks the purchase for review (nothing is granted) and tells finance. */
  Effect review(Purchase purchase, String cause, String why, Instant now) {
    Moved after =
        step(
            purchase,
            purchase.state(),
            cause,
            why,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            true,
            now);
    if (after.byThisCall()) {
      publish(after.purchase(), Change.NEEDS_REVIEW, after.purchase().amount(), why, now);
    }
    return Effect.NEEDS_REVIEW;
  }

  void publish(Purchase p, Change change, Amount amount, String detail, Instant now) {
    publish(p, change, amount, Amount.zero(amount.unit()), detail, now);
  }

  void publish(
      Purchase p, Change change, Amount amount, Amount unrecovered, String detail, Instant now) {
    String id =
        "purchase:" + p.tenant().value() + ":" + p.id().value() + ":" + change + ":" + p.version();
    events.dispatch(
        List.of(
            new PurchaseUpdated(
                id,
                p.tenant(),
                p.account(),
                now,
                p.id(),
                change,
                p.state(),
                amount,
                unrecovered,
                detail)));
  }
}
