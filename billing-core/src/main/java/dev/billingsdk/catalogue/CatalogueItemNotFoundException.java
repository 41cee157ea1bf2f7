package dev.billingsdk.catalogue;

import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;

/** No catalogue item (or no such version of it) exists in the tenant. */
public final class CatalogueItemNotFoundException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final CatalogueItem.Kind kind;
  private final String itemId;

  public CatalogueItemNotFoundException(TenantId tenant, CatalogueItem.Kind kind, String itemId) {
    super(kind + " " + itemId + " not found in tenant " + tenant);
    this.kind = kind;
    this.itemId = itemId;
  }

  public CatalogueItem.Kind kind() {
    return kind;
  }

  public String itemId() {
    return itemId;
  }
}
