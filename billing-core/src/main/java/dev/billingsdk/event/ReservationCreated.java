package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/** Credit was reserved until {@code expiresAt}. */
public record ReservationCreated(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    ReservationId reservation,
    Amount held,
    Instant expiresAt,
    TransactionId transaction)
    implements BillingEvent {

  public ReservationCreated {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
    // Left out (null) where the event names no such instant; normalised where it does.
    expiresAt = expiresAt == null ? null : InputContract.instant(expiresAt, "expiresAt");
  }
}
