package dev.billingsdk.flutterwave;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;

/** The Flutterwave purchase stories on core's in-memory stores. */
class InMemoryFlutterwaveStoriesTest extends FlutterwavePurchaseStories {
  private static final InMemoryPurchaseStore PURCHASES = InMemoryPurchaseStore.create();
  private static final Stores STORES =
      new Stores(
          InMemoryBillingStore.create(), InMemoryCatalogueStore.create(), PURCHASES, PURCHASES);

  @Override
  Stores stores() {
    return STORES;
  }
}
