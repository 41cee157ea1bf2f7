package dev.billingsdk.catalogue;

import dev.billingsdk.BillingException;

/**
 * A change was based on a version that is no longer the latest: someone else changed the item
 * first. Nothing was written; read the latest version and decide again.
 */
public final class CatalogueVersionConflictException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final String itemId;
  private final int expectedVersion;
  private final int actualVersion;

  public CatalogueVersionConflictException(String itemId, int expectedVersion, int actualVersion) {
    super(
        itemId
            + " is at version "
            + actualVersion
            + ", not "
            + expectedVersion
            + ": it was changed meanwhile");
    this.itemId = itemId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  public String itemId() {
    return itemId;
  }

  public int expectedVersion() {
    return expectedVersion;
  }

  public int actualVersion() {
    return actualVersion;
  }
}
