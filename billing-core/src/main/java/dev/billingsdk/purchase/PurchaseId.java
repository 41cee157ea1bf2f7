package dev.billingsdk.purchase;

import dev.billingsdk.Identifiers;

/**
 * Identifies a purchase within its tenant. Chosen by the client, so that starting the same purchase
 * twice (a double click, a retried request) makes one purchase.
 */
public record PurchaseId(String value) {

  public PurchaseId {
    Identifiers.check(value, "purchase");
  }

  public static PurchaseId of(String value) {
    return new PurchaseId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
