package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.StatementStore;

/**
 * The statement kit on broken stores, for {@link StatementKitCatchesBrokenStoresTest}. This
 * holder's name matches none of the build's test patterns, so the kit runs here only when that test
 * launches it.
 */
final class BrokenStatementKits {
  private BrokenStatementKits() {}

  /** What the next launch of {@link Broken} gets wrong; set by the self-test before it. */
  static volatile BrokenStatementStore.Mistake mistake = BrokenStatementStore.Mistake.NONE;

  static class Broken extends StatementStoreTck {
    final InMemoryBillingStore ledger = InMemoryBillingStore.create();
    final StatementStore store = new BrokenStatementStore(mistake, ledger);

    @Override
    protected BillingStore ledger() {
      return ledger;
    }

    @Override
    protected StatementStore store() {
      return store;
    }
  }
}
