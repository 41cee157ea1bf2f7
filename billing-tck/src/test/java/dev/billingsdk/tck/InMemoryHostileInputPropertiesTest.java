package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.BillingStore;

/** The in-memory store keeps every property of the kit. */
class InMemoryHostileInputPropertiesTest extends HostileInputProperties {
  private final BillingStore store = InMemoryBillingStore.create();

  @Override
  protected BillingStore store() {
    return store;
  }
}
