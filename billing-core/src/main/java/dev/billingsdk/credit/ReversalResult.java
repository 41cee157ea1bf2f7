package dev.billingsdk.credit;

import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.util.List;

/**
 * A reversal: {@code amount} of {@code original} went back along its lineage.
 *
 * @param remaining what of the original can still be reversed after this
 */
public record ReversalResult(
    TransactionId original,
    LedgerTransaction transaction,
    Amount amount,
    List<Restoration> restorations,
    Amount remaining,
    boolean replayed) {

  public ReversalResult {
    restorations = List.copyOf(restorations);
  }
}
