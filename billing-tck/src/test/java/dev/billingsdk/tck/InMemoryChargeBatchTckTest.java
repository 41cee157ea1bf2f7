package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.BillingStore;

/** The in-memory store keeps every batched-charge rule of the kit. */
class InMemoryChargeBatchTckTest extends ChargeBatchTck {
  private final InMemoryBillingStore store = InMemoryBillingStore.create();

  @Override
  protected BillingStore store() {
    return store;
  }
}
