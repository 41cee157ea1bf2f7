package dev.billingsdk.subscription;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Instant;

/**
 * One change of a subscription, as its audit trail keeps it: the version it produced, the states
 * before and after, what happened, who did it, and why. A cause is applied to a subscription once.
 *
 * @param version the subscription's version after the change (1 for its creation)
 * @param cause what caused it, unique per subscription (a request, a renewal of a period, an
 *     attempt)
 */
public record SubscriptionChange(
    TenantId tenant,
    SubscriptionId subscription,
    long version,
    SubscriptionState from,
    SubscriptionState to,
    Kind kind,
    Instant at,
    String actor,
    String cause,
    String detail) {

  /** What happened. */
  public enum Kind {
    CREATED,
    ACTIVATED,
    RENEWED,
    PAYMENT_FAILED,
    RECOVERED,
    UPGRADED,
    DOWNGRADE_SCHEDULED,
    DOWNGRADED,
    CANCEL_SCHEDULED,
    CANCELED,
    EXPIRED
  }

  public SubscriptionChange {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(subscription, "subscription");
    if (version < 1) {
      throw new InvalidRequestException("version", version, "must be at least 1");
    }
    InvalidRequestException.requireNonNull(from, "from");
    InvalidRequestException.requireNonNull(to, "to");
    InvalidRequestException.requireNonNull(kind, "kind");
    at = InputContract.instant(at, "at");
    InputContract.identifier(actor, "actor");
    InputContract.identifier(cause, "cause");
    InputContract.text(detail, "detail", 1000);
  }
}
