package dev.billingsdk.tck;

import dev.billingsdk.spi.CatalogueStore;
import dev.billingsdk.tck.BrokenCatalogueStore.Mistake;

/**
 * The catalogue kit on broken stores, for {@link CatalogueKitCatchesBrokenStoresTest}. This
 * holder's name matches none of the build's test patterns, so the kit runs here only when that test
 * launches it.
 */
final class BrokenCatalogueKits {
  private BrokenCatalogueKits() {}

  /** What the next launch of {@link Broken} gets wrong; set by the self-test before it. */
  static volatile Mistake mistake = Mistake.NONE;

  static class Broken extends CatalogueStoreTck {
    final CatalogueStore store = new BrokenCatalogueStore(mistake);

    @Override
    protected CatalogueStore store() {
      return store;
    }
  }
}
