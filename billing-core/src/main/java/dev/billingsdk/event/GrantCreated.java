package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/** A grant was written and its credit issued. */
public record GrantCreated(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    GrantId grant,
    GrantCategory category,
    Amount amount,
    TransactionId transaction)
    implements BillingEvent {

  public GrantCreated {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
  }
}
