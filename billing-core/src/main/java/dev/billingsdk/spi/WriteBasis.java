package dev.billingsdk.spi;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.ledger.LedgerTransaction;
import java.util.Optional;

/**
 * What a write is decided on, read in one go ({@link BillingStore#readForWrite}): the transaction
 * the request's idempotency key already names, if any, and otherwise the account as it stands.
 *
 * @param known the tenant's transaction under the key; when present, the request is answered from
 *     it (a replay, or an idempotency conflict) and {@code snapshot} need not be read
 * @param snapshot the account (version, live grants, active reservations, alert), or empty if it
 *     does not exist or {@code known} is present
 */
public record WriteBasis(Optional<LedgerTransaction> known, Optional<AccountSnapshot> snapshot) {

  public WriteBasis {
    InvalidRequestException.requireNonNull(known, "known");
    InvalidRequestException.requireNonNull(snapshot, "snapshot");
  }

  /** The key is already used: the request replays or conflicts. */
  public static WriteBasis known(LedgerTransaction transaction) {
    return new WriteBasis(Optional.of(transaction), Optional.empty());
  }

  /** The key is unused: the account as read, or empty if there is no such account. */
  public static WriteBasis fresh(Optional<AccountSnapshot> snapshot) {
    return new WriteBasis(Optional.empty(), snapshot);
  }
}
