package dev.billingsdk.credit;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;

/** A reversal asked for more than is left to reverse of the original debit. Nothing was written. */
public class ReversalLimitExceededException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final transient TransactionId original;
  private final transient Amount reversible;

  public ReversalLimitExceededException(
      TransactionId original, Amount requested, Amount reversible) {
    super(
        "amount",
        requested,
        "exceeds what is left to reverse of " + original + " (" + reversible + ")");
    this.original = original;
    this.reversible = reversible;
  }

  public TransactionId original() {
    return original;
  }

  /** What could still be reversed. */
  public Amount reversible() {
    return reversible;
  }
}
