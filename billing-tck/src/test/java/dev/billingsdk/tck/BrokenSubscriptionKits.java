package dev.billingsdk.tck;

import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.tck.BrokenSubscriptionStore.Mistake;

/**
 * The subscription kit on broken stores, for {@link SubscriptionKitCatchesBrokenStoresTest}. This
 * holder's name matches none of the build's test patterns, so the kit runs here only when that test
 * launches it.
 */
final class BrokenSubscriptionKits {
  private BrokenSubscriptionKits() {}

  static volatile Mistake mistake = Mistake.NONE;

  static class Broken extends SubscriptionStoreTck {
    final SubscriptionStore store = new BrokenSubscriptionStore(mistake);

    @Override
    protected SubscriptionStore store() {
      return store;
    }
  }
}
