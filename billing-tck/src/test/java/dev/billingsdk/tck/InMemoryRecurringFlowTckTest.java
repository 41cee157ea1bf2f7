package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.memory.InMemorySubscriptionStore;
import dev.billingsdk.memory.InMemoryTopUpStore;

/** The recurring flow kit on the in-memory stores. */
class InMemoryRecurringFlowTckTest extends RecurringFlowTck {
  private final InMemoryPurchaseStore purchases = InMemoryPurchaseStore.create();
  private final Stores stores =
      new Stores(
          InMemoryBillingStore.create(),
          InMemoryCatalogueStore.create(),
          purchases,
          purchases,
          InMemoryEconomyStore.create(),
          InMemorySubscriptionStore.create(),
          InMemoryTopUpStore.create());

  @Override
  protected Stores first() {
    return stores;
  }
}
