package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/** Credits paid part of an invoice; {@code due} is what is still to be paid. */
public record InvoiceCreditsApplied(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    String invoice,
    TransactionId transaction,
    Amount applied,
    Amount due)
    implements BillingEvent {

  public InvoiceCreditsApplied {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
  }
}
