package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.spi.ProviderEventStore;

/** The provider-event kit on the in-memory store. */
class InMemoryProviderEventStoreTckTest extends ProviderEventStoreTck {
  private final ProviderEventStore store = InMemoryPurchaseStore.create();

  @Override
  protected ProviderEventStore store() {
    return store;
  }
}
