package dev.billingsdk.tck;

import dev.billingsdk.spi.EconomyStore;
import dev.billingsdk.tck.BrokenEconomyStore.Mistake;

/**
 * The economy kit on broken stores, for {@link EconomyKitCatchesBrokenStoresTest}. This holder's
 * name matches none of the build's test patterns, so the kit runs here only when that test launches
 * it.
 */
final class BrokenEconomyKits {
  private BrokenEconomyKits() {}

  /** What the next launch of {@link Broken} gets wrong; set by the self-test before it. */
  static volatile Mistake mistake = Mistake.NONE;

  static class Broken extends EconomyStoreTck {
    final EconomyStore store = new BrokenEconomyStore(mistake);

    @Override
    protected EconomyStore store() {
      return store;
    }
  }
}
