package dev.billingsdk.tck;

import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.LossyStore.Loss;

/**
 * The hostile-input kit on {@link LossyStore}, for {@link HostileKitCatchesLossyStoresTest}. This
 * holder's name matches none of the build's test patterns, so the kit runs here only when that test
 * launches it.
 */
final class BrokenHostileKits {
  private BrokenHostileKits() {}

  /** What the next launch loses; set by the self-test before each launch. */
  static volatile Loss loss = Loss.NONE;

  static class Switched extends HostileInputTck {
    final BillingStore store = LossyStore.with(loss);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  static class SwitchedProperties extends HostileInputProperties {
    final BillingStore store = LossyStore.with(loss);

    @Override
    protected BillingStore store() {
      return store;
    }
  }
}
