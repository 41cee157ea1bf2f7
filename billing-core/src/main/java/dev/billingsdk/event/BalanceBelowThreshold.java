package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/**
 * The account's spendable balance fell below its low-balance threshold (fires once per crossing).
 */
public record BalanceBelowThreshold(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    Amount balance,
    Amount threshold,
    TransactionId transaction)
    implements BillingEvent {

  public BalanceBelowThreshold {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
  }
}
