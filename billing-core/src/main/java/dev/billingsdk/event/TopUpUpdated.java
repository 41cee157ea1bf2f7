package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.topup.TopUpOutcome;
import java.time.Instant;

/**
 * An auto-top-up was bought, paid, failed, paused for the customer's authentication (bring the
 * customer back to finish {@code purchase}), or its rule disabled itself.
 */
public record TopUpUpdated(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    PurchaseId purchase,
    TopUpOutcome.Result result,
    String detail)
    implements BillingEvent {

  public TopUpUpdated {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
    InvalidRequestException.requireNonNull(purchase, "purchase");
    InvalidRequestException.requireNonNull(result, "result");
    InputContract.text(detail, "detail", 1000);
  }
}
