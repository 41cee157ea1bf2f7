package dev.billingsdk.subscription;

import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;

/** No subscription of that id in the tenant. */
public final class SubscriptionNotFoundException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;
  private final SubscriptionId subscription;

  public SubscriptionNotFoundException(TenantId tenant, SubscriptionId subscription) {
    super("no subscription " + subscription + " in tenant " + tenant);
    this.tenant = tenant;
    this.subscription = subscription;
  }

  public TenantId tenant() {
    return tenant;
  }

  public SubscriptionId subscription() {
    return subscription;
  }
}
