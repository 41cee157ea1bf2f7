package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.spi.PurchaseStore;

/** The purchase kit on the in-memory store. */
class InMemoryPurchaseStoreTckTest extends PurchaseStoreTck {
  private final PurchaseStore store = InMemoryPurchaseStore.create();

  @Override
  protected PurchaseStore store() {
    return store;
  }
}
