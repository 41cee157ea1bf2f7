package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/**
 * An administrator deducted credit from one category of the account's grants; {@code deducted} left
 * the account (a MANUAL_ADJUSTMENT to VOIDED).
 */
public record CreditsDeducted(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    GrantCategory category,
    Amount deducted,
    TransactionId transaction)
    implements BillingEvent {

  public CreditsDeducted {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
    InvalidRequestException.requireNonNull(category, "category");
    InvalidRequestException.requireNonNull(deducted, "deducted");
    InvalidRequestException.requireNonNull(transaction, "transaction");
  }
}
