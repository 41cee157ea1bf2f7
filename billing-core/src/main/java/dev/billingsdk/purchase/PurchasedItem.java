package dev.billingsdk.purchase;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.catalogue.CatalogueItem;

/** The catalogue version a purchase bought: it keeps that version whatever the catalogue does. */
public record PurchasedItem(CatalogueItem.Kind kind, String itemId, int version, String name) {

  public PurchasedItem {
    InvalidRequestException.requireNonNull(kind, "kind");
    Identifiers.check(itemId, "itemId");
    if (version < 1) {
      throw new InvalidRequestException("version", version, "must be at least 1");
    }
    InputContract.nonBlankText(name, "name", 200);
  }

  public static PurchasedItem of(CatalogueItem item) {
    InvalidRequestException.requireNonNull(item, "item");
    return new PurchasedItem(item.kind(), item.itemId(), item.revision().version(), item.name());
  }
}
