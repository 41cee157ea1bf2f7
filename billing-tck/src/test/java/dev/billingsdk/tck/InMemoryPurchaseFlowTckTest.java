package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;

/** The purchase flow kit on the in-memory stores (one storage, two Billing instances). */
class InMemoryPurchaseFlowTckTest extends PurchaseFlowTck {
  private final InMemoryPurchaseStore purchases = InMemoryPurchaseStore.create();
  private final Stores stores =
      new Stores(
          InMemoryBillingStore.create(), InMemoryCatalogueStore.create(), purchases, purchases);

  @Override
  protected Stores first() {
    return stores;
  }
}
