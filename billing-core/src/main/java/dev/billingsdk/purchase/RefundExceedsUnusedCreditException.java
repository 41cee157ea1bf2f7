package dev.billingsdk.purchase;

import dev.billingsdk.BillingException;
import dev.billingsdk.money.Amount;

/**
 * A refund asked through the library would take back more credit than the purchase's grants still
 * hold (the buyer has spent it). Refused before the provider was called; nothing changed. A refund
 * made in the provider's dashboard cannot be refused: it takes what it can and reports the rest.
 */
public final class RefundExceedsUnusedCreditException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final PurchaseId purchase;
  private final Amount creditsToTake;
  private final Amount unused;

  public RefundExceedsUnusedCreditException(
      PurchaseId purchase, Amount creditsToTake, Amount unused) {
    super(
        "refund of "
            + purchase
            + " would take back "
            + creditsToTake
            + " but only "
            + unused
            + " of its credit is unused");
    this.purchase = purchase;
    this.creditsToTake = creditsToTake;
    this.unused = unused;
  }

  public PurchaseId purchase() {
    return purchase;
  }

  public Amount creditsToTake() {
    return creditsToTake;
  }

  public Amount unused() {
    return unused;
  }
}
