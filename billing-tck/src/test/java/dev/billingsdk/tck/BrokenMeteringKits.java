package dev.billingsdk.tck;

import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.tck.SwitchableMetering.Break;
import java.util.Set;

/**
 * The metering kit on {@link SwitchableMetering}, for {@link MeteringKitCatchesBrokenStoresTest}.
 * This holder's name matches none of the build's test patterns, so the kit runs here only when that
 * test launches it.
 */
final class BrokenMeteringKits {
  private BrokenMeteringKits() {}

  /** What the next launch of {@link Switched} breaks; set by the self-test before each launch. */
  static volatile Set<Break> breaks = Set.of();

  static class Switched extends MeteringStoreTck {
    final BillingStore store = SwitchableMetering.with(breaks);

    @Override
    protected BillingStore store() {
      return store;
    }

    @Override
    protected MeteringStore meteringStore() {
      return (MeteringStore) store;
    }
  }
}
