package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/** A reservation passed its time-to-live unsettled; everything it held went back. */
public record ReservationExpired(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    ReservationId reservation,
    Amount released,
    Instant expiredAt,
    TransactionId transaction)
    implements BillingEvent {

  public ReservationExpired {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
    // Left out (null) where the event names no such instant; normalised where it does.
    expiredAt = expiredAt == null ? null : InputContract.instant(expiredAt, "expiredAt");
  }
}
