package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/** The account's spendable balance recovered to its re-arm level; the alert is armed again. */
public record BalanceRecovered(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    Amount balance,
    Amount rearmAt,
    TransactionId transaction)
    implements BillingEvent {

  public BalanceRecovered {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
  }
}
