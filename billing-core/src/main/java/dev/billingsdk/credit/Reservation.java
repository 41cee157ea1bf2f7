package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;
import java.util.Optional;

/**
 * Credit held for an in-flight operation (an LLM call, a running deployment) until it is settled
 * with the actual amount, released, or passes its time-to-live. While active, the held credit sits
 * on the account's RESERVED ledger account, so nobody else can spend it.
 *
 * @param kind what the reservation is for; a settlement charges this kind and item
 * @param held what is held: the requested amount, or less under a partial overdraft policy
 * @param hold the transaction that moved the credit to RESERVED; its grant postings are the lineage
 *     that a release returns credit along
 * @param expiresAt the end of the time-to-live (exclusive): from this instant it is expired
 * @param resolution the transaction that settled, released or expired it, once it is not active
 * @param sequence the hold transaction's sequence: a stable order for sweeps
 */
public record Reservation(
    ReservationId id,
    TenantId tenant,
    AccountId account,
    ChargeKind kind,
    String itemCode,
    Amount held,
    TransactionId hold,
    Instant createdAt,
    Instant expiresAt,
    ReservationState state,
    Optional<TransactionId> resolution,
    long sequence) {

  public Reservation {
    InvalidRequestException.requireNonNull(id, "reservation");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(kind, "kind");
    InvalidRequestException.requireText(itemCode, "itemCode");
    InvalidRequestException.requireNonNull(held, "held");
    InvalidRequestException.requireNonNull(hold, "hold");
    createdAt = InputContract.instant(createdAt, "createdAt");
    expiresAt = InputContract.instant(expiresAt, "expiresAt");
    InvalidRequestException.requireNonNull(state, "state");
    InvalidRequestException.requireNonNull(resolution, "resolution");
    if (held.isNegative()) {
      throw new InvalidRequestException("held", held, "must not be negative");
    }
    if (!expiresAt.isAfter(createdAt)) {
      throw new InvalidRequestException("expiresAt", expiresAt, "must be after " + createdAt);
    }
    if ((state == ReservationState.ACTIVE) != resolution.isEmpty()) {
      throw new InvalidRequestException(
          "resolution",
          resolution,
          "must be given exactly when the state is final (" + state + ")");
    }
  }

  /** Whether it still holds credit at {@code at}: active and not past its time-to-live. */
  public boolean isHoldingAt(Instant at) {
    return state == ReservationState.ACTIVE && at.isBefore(expiresAt);
  }

  /** The same reservation in a final state, resolved by {@code transaction}. */
  public Reservation resolved(ReservationState finalState, TransactionId transaction) {
    if (finalState == ReservationState.ACTIVE) {
      throw new InvalidRequestException("state", finalState, "must be a final state");
    }
    InvalidRequestException.requireNonNull(transaction, "resolution");
    return new Reservation(
        id,
        tenant,
        account,
        kind,
        itemCode,
        held,
        hold,
        createdAt,
        expiresAt,
        finalState,
        Optional.of(transaction),
        sequence);
  }
}
