package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryTopUpStore;
import dev.billingsdk.spi.TopUpStore;

/** The top-up kit on the in-memory store. */
class InMemoryTopUpStoreTckTest extends TopUpStoreTck {
  private final TopUpStore store = InMemoryTopUpStore.create();

  @Override
  protected TopUpStore store() {
    return store;
  }
}
