package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.BillingStore;

// tag::runner[]
/** The in-memory store keeps every property of the kit. */
class InMemoryStorePropertiesTest extends BillingStoreProperties {
  private final BillingStore store = InMemoryBillingStore.create();

  @Override
  protected BillingStore store() {
    return store;
  }
}
// end::runner[]
