package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryProjectCostStore;
import dev.billingsdk.spi.ProjectCostStore;

/** The project cost kit on the in-memory store. */
class InMemoryProjectCostStoreTckTest extends ProjectCostStoreTck {
  private final ProjectCostStore store = InMemoryProjectCostStore.create();

  @Override
  protected ProjectCostStore store() {
    return store;
  }
}
