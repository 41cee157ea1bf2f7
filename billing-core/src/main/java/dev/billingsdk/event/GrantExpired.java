package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/** A grant's unused remainder expired at {@code expiredAt} (the grant's expiry instant). */
public record GrantExpired(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    GrantId grant,
    Amount expired,
    Instant expiredAt,
    TransactionId transaction)
    implements BillingEvent {

  public GrantExpired {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
    // Left out (null) where the event names no such instant; normalised where it does.
    expiredAt = expiredAt == null ? null : InputContract.instant(expiredAt, "expiredAt");
  }
}
