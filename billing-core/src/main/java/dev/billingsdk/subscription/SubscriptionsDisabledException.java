package dev.billingsdk.subscription;

import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;

/**
 * The tenant's credit economy settings have subscriptions switched off (the admin switch of seed
 * 000), or the tenant has no settings: no new subscription starts. Nothing was written.
 */
public final class SubscriptionsDisabledException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;

  public SubscriptionsDisabledException(TenantId tenant) {
    super("subscriptions are not enabled for tenant " + tenant);
    this.tenant = tenant;
  }

  public TenantId tenant() {
    return tenant;
  }
}
