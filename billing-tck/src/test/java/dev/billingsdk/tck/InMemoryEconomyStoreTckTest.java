package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.spi.EconomyStore;

/** The economy kit on the in-memory store. */
class InMemoryEconomyStoreTckTest extends EconomyStoreTck {
  private final EconomyStore store = InMemoryEconomyStore.create();

  @Override
  protected EconomyStore store() {
    return store;
  }
}
