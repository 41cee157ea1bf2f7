package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/** A grant was voided; {@code voided} is the unused remainder that left the account. */
public record GrantVoided(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    GrantId grant,
    Amount voided,
    TransactionId transaction)
    implements BillingEvent {

  public GrantVoided {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
  }
}
