package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.MeteringStore;

// tag::runner[]
/** The in-memory store keeps every metering rule of the kit. */
class InMemoryMeteringTckTest extends MeteringStoreTck {
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
// end::runner[]
