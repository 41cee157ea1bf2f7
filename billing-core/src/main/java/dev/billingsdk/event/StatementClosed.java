package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import java.time.Instant;
import java.time.YearMonth;

/**
 * The close job stored an account's statement for a month: from now on it never changes, and what
 * arrives late for the month lands in the open month. Sent once, by the run that stored it.
 */
public record StatementClosed(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    YearMonth month,
    Amount opening,
    Amount closing)
    implements BillingEvent {

  public StatementClosed {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(opening, "opening");
    InvalidRequestException.requireNonNull(closing, "closing");
  }
}
