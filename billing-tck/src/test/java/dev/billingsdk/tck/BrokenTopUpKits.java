package dev.billingsdk.tck;

import dev.billingsdk.spi.TopUpStore;
import dev.billingsdk.tck.BrokenTopUpStore.Mistake;

/**
 * The top-up kit on broken stores, for {@link TopUpKitCatchesBrokenStoresTest}. This holder's name
 * matches none of the build's test patterns, so the kit runs here only when that test launches it.
 */
final class BrokenTopUpKits {
  private BrokenTopUpKits() {}

  static volatile Mistake mistake = Mistake.NONE;

  static class Broken extends TopUpStoreTck {
    final TopUpStore store = new BrokenTopUpStore(mistake);

    @Override
    protected TopUpStore store() {
      return store;
    }
  }
}
