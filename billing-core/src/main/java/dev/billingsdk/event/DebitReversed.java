package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/** A debit was reversed (in part or whole); its credit went back to the grants it came from. */
public record DebitReversed(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    TransactionId reversal,
    TransactionId original,
    Amount amount)
    implements BillingEvent {

  public DebitReversed {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
  }
}
