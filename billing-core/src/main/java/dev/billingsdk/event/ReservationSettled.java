package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/** A reservation was settled for {@code settled}; any rest went back. */
public record ReservationSettled(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    ReservationId reservation,
    Amount held,
    Amount settled,
    TransactionId transaction)
    implements BillingEvent {

  public ReservationSettled {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
  }
}
