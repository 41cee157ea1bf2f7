package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.BillingStore;

/** The write-basis kit on the in-memory store. */
class InMemoryWriteBasisTckTest extends WriteBasisTck {
  private final BillingStore store = InMemoryBillingStore.create();

  @Override
  protected BillingStore store() {
    return store;
  }
}
