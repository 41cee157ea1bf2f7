package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionId;
import dev.billingsdk.subscription.SubscriptionState;
import java.time.Instant;

/**
 * A subscription changed: created, activated, renewed, a payment failed or recovered, a plan
 * changed or was scheduled, canceled or expired. One per stored change.
 *
 * @param state the subscription's state after the change
 * @param detail why, in words (a decline code, the plans of a change)
 */
public record SubscriptionUpdated(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    SubscriptionId subscription,
    SubscriptionChange.Kind change,
    SubscriptionState state,
    String detail)
    implements BillingEvent {

  public SubscriptionUpdated {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
    InvalidRequestException.requireNonNull(subscription, "subscription");
    InvalidRequestException.requireNonNull(change, "change");
    InvalidRequestException.requireNonNull(state, "state");
    InputContract.text(detail, "detail", 1000);
  }
}
