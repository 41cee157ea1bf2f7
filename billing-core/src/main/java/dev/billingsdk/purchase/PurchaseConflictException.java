package dev.billingsdk.purchase;

import dev.billingsdk.BillingException;

/**
 * A purchase id was used again for a different purchase (another account, item or amount), or a
 * transition was decided on a state that changed meanwhile; nothing was written.
 */
public final class PurchaseConflictException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final PurchaseId purchase;

  public PurchaseConflictException(PurchaseId purchase, String why) {
    super(purchase + ": " + why);
    this.purchase = purchase;
  }

  public PurchaseId purchase() {
    return purchase;
  }
}
