package dev.billingsdk.purchase;

import dev.billingsdk.BillingException;

/** A purchase was asked to move to a state its state does not lead to; nothing was written. */
public final class IllegalPurchaseTransitionException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final PurchaseId purchase;
  private final PurchaseState from;
  private final PurchaseState to;

  public IllegalPurchaseTransitionException(
      PurchaseId purchase, PurchaseState from, PurchaseState to) {
    super(
        purchase
            + " cannot move from "
            + from
            + " to "
            + to
            + " (allowed: "
            + from.allowedNext()
            + ")");
    this.purchase = purchase;
    this.from = from;
    this.to = to;
  }

  public PurchaseId purchase() {
    return purchase;
  }

  public PurchaseState from() {
    return from;
  }

  public PurchaseState to() {
    return to;
  }
}
