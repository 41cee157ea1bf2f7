package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryStatementStore;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.StatementStore;

/** The statement kit on the in-memory stores. */
class InMemoryStatementStoreTckTest extends StatementStoreTck {
  private final InMemoryBillingStore ledger = InMemoryBillingStore.create();
  private final StatementStore store = InMemoryStatementStore.create(ledger);

  @Override
  protected BillingStore ledger() {
    return ledger;
  }

  @Override
  protected StatementStore store() {
    return store;
  }
}
