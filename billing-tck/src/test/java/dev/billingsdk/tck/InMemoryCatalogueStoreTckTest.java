package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.spi.CatalogueStore;

/** The catalogue kit on the in-memory store. */
class InMemoryCatalogueStoreTckTest extends CatalogueStoreTck {
  private final CatalogueStore store = InMemoryCatalogueStore.create();

  @Override
  protected CatalogueStore store() {
    return store;
  }
}
