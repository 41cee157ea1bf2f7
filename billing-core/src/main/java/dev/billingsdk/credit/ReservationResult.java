package dev.billingsdk.credit;

import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import java.util.List;

/**
 * A reservation made, released or expired.
 *
 * @param reservation the reservation as it is after the operation
 * @param transaction the transaction that made or resolved it
 * @param allocations for a hold, what each grant holds towards it
 * @param replayed true when this is the outcome of an earlier request, not a new write (a repeated
 *     key, or releasing a reservation that had already been released or had expired)
 */
public record ReservationResult(
    Reservation reservation,
    LedgerTransaction transaction,
    List<Allocation> allocations,
    Amount fromOverdraft,
    boolean replayed) {

  public ReservationResult {
    allocations = List.copyOf(allocations);
  }
}
