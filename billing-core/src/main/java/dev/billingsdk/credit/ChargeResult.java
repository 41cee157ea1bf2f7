package dev.billingsdk.credit;

import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import java.util.List;

/**
 * What a charge did. {@code charged = sum(allocations) + fromOverdraft}; {@code shortfall} is what
 * a partial-policy account could not pay (zero otherwise).
 *
 * @param replayed true when the idempotency key had been used for this same request before and this
 *     is the original outcome, not a new write
 */
public record ChargeResult(
    LedgerTransaction transaction,
    Amount requested,
    Amount charged,
    List<Allocation> allocations,
    Amount fromOverdraft,
    Amount shortfall,
    boolean replayed) {

  public ChargeResult {
    allocations = List.copyOf(allocations);
  }
}
