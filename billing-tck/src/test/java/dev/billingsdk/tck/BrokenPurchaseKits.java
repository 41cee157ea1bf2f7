package dev.billingsdk.tck;

import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.spi.PurchaseStore;

/**
 * The purchase and provider-event kits on broken stores, for {@link
 * PurchaseKitCatchesBrokenStoresTest} and {@link ProviderEventKitCatchesBrokenStoresTest}. This
 * holder's name matches none of the build's test patterns, so the kits run here only when those
 * tests launch them.
 */
final class BrokenPurchaseKits {
  private BrokenPurchaseKits() {}

  /** What the next launch of {@link BrokenPurchases} gets wrong; set by the self-test before it. */
  static volatile BrokenPurchaseStore.Mistake purchaseMistake = BrokenPurchaseStore.Mistake.NONE;

  /** What the next launch of {@link BrokenEvents} gets wrong; set by the self-test before it. */
  static volatile BrokenProviderEventStore.Mistake eventMistake =
      BrokenProviderEventStore.Mistake.NONE;

  static class BrokenPurchases extends PurchaseStoreTck {
    final PurchaseStore store = new BrokenPurchaseStore(purchaseMistake);

    @Override
    protected PurchaseStore store() {
      return store;
    }
  }

  static class BrokenEvents extends ProviderEventStoreTck {
    final ProviderEventStore store = new BrokenProviderEventStore(eventMistake);

    @Override
    protected ProviderEventStore store() {
      return store;
    }
  }
}
