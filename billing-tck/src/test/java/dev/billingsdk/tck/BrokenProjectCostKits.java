package dev.billingsdk.tck;

import dev.billingsdk.spi.ProjectCostStore;
import dev.billingsdk.tck.BrokenProjectCostStore.Mistake;

/**
 * The project cost kit on broken stores, for {@link ProjectCostKitCatchesBrokenStoresTest}. This
 * holder's name matches none of the build's test patterns, so the kit runs here only when that test
 * launches it.
 */
final class BrokenProjectCostKits {
  private BrokenProjectCostKits() {}

  /** What the next launch of {@link Broken} gets wrong; set by the self-test before it. */
  static volatile Mistake mistake = Mistake.NONE;

  static class Broken extends ProjectCostStoreTck {
    final ProjectCostStore store = new BrokenProjectCostStore(mistake);

    @Override
    protected ProjectCostStore store() {
      return store;
    }
  }
}
