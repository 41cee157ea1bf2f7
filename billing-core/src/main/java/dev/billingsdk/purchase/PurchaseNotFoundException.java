package dev.billingsdk.purchase;

import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;

/** No purchase of that id exists in the tenant. */
public final class PurchaseNotFoundException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final PurchaseId purchase;

  public PurchaseNotFoundException(TenantId tenant, PurchaseId purchase) {
    super("purchase " + purchase + " not found in tenant " + tenant);
    this.purchase = purchase;
  }

  public PurchaseId purchase() {
    return purchase;
  }
}
