package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.RevenueStore;

/**
 * The revenue kit on broken stores, for {@link RevenueKitCatchesBrokenStoresTest}. This holder's
 * name matches none of the build's test patterns, so the kit runs here only when that test launches
 * it.
 */
final class BrokenRevenueKits {
  private BrokenRevenueKits() {}

  /** What the next launch of {@link Broken} gets wrong; set by the self-test before it. */
  static volatile BrokenRevenueStore.Mistake mistake = BrokenRevenueStore.Mistake.NONE;

  static class Broken extends RevenueStoreTck {
    final BrokenRevenueStore store = new BrokenRevenueStore(mistake, InMemoryBillingStore.create());

    @Override
    protected BillingStore billingStore() {
      return store.ledger();
    }

    @Override
    protected RevenueStore store() {
      return store;
    }
  }
}
