package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.BillingStore;

/** The in-memory store keeps every rule of the kit. */
class InMemoryAccountReadsTckTest extends AccountReadsTck {
  private final BillingStore store = InMemoryBillingStore.create();

  @Override
  protected BillingStore store() {
    return store;
  }
}
