package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryRevenueStore;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.RevenueStore;

/** The revenue kit on the in-memory store. */
class InMemoryRevenueStoreTckTest extends RevenueStoreTck {
  private final InMemoryBillingStore ledger = InMemoryBillingStore.create();
  private final RevenueStore store = InMemoryRevenueStore.of(ledger);

  @Override
  protected BillingStore billingStore() {
    return ledger;
  }

  @Override
  protected RevenueStore store() {
    return store;
  }
}
