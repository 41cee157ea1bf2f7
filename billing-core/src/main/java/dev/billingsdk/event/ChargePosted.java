package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/**
 * A charge or usage debit was posted (also a reservation's settlement); {@code charged} is less
 * than {@code requested} only under a partial overdraft policy.
 */
public record ChargePosted(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    TransactionId transaction,
    TransactionType type,
    ChargeKind kind,
    String itemCode,
    Amount requested,
    Amount charged)
    implements BillingEvent {

  public ChargePosted {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
  }
}
