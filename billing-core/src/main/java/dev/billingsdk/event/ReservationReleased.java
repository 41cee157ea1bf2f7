package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/** A reservation was released by the host; everything it held went back. */
public record ReservationReleased(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    ReservationId reservation,
    Amount released,
    TransactionId transaction)
    implements BillingEvent {

  public ReservationReleased {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
  }
}
