package dev.billingsdk.credit;

import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import java.util.List;

/**
 * A deduction: the MANUAL_ADJUSTMENT transaction that took {@code deducted} from the category's
 * grants, and what it took from each grant, in the grant order.
 *
 * @param replayed true when the idempotency key was used before for the same deduction and this is
 *     that original outcome
 */
public record DeductResult(
    LedgerTransaction transaction, Amount deducted, List<Allocation> taken, boolean replayed) {
  public DeductResult {
    taken = List.copyOf(taken);
  }
}
