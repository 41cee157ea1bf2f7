package dev.billingsdk.tck;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.BillingStore;

/** The invoice-applications kit on the in-memory store. */
class InMemoryInvoiceApplicationsTckTest extends InvoiceApplicationsTck {
  private final BillingStore store = InMemoryBillingStore.create();

  @Override
  protected BillingStore store() {
    return store;
  }
}
