package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.MeteringStore;

/** The in-memory store keeps every deduction rule of the kit. */
class InMemoryMeteringDeductionTckTest extends MeteringDeductionTck {
  private final InMemoryBillingStore store = InMemoryBillingStore.create();

  @Override
  protected BillingStore store() {
    return store;
  }

  @Override
  protected MeteringStore meteringStore() {
    return store;
  }
}
