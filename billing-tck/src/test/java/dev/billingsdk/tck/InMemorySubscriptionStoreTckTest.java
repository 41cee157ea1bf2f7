package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemorySubscriptionStore;
import dev.billingsdk.spi.SubscriptionStore;

/** The subscription kit on the in-memory store. */
class InMemorySubscriptionStoreTckTest extends SubscriptionStoreTck {
  private final SubscriptionStore store = InMemorySubscriptionStore.create();

  @Override
  protected SubscriptionStore store() {
    return store;
  }
}
