package dev.billingsdk.catalogue;

import dev.billingsdk.BillingException;

/** An archived item was to be revised or bought; archived items are read-only and not on sale. */
public final class CatalogueItemArchivedException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final String itemId;
  private final int version;

  public CatalogueItemArchivedException(String itemId, int version) {
    super(itemId + " version " + version + " is archived");
    this.itemId = itemId;
    this.version = version;
  }

  public String itemId() {
    return itemId;
  }

  public int version() {
    return version;
  }
}
