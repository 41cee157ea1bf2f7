package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The purchase flow kit must be able to fail: on a purchase store that applies transitions without
 * checking the version or the cause, all three of its rules fail; on correct stores they pass (run
 * by {@code InMemoryPurchaseFlowTckTest}).
 */
class PurchaseFlowKitCatchesCarelessStoresTest {

  /** Not matched by the build's test patterns: runs only when launched below. */
  static final class Careless extends PurchaseFlowTck {
    private final CarelessPurchaseStore purchases = new CarelessPurchaseStore();
    private final Stores stores =
        new Stores(
            InMemoryBillingStore.create(), InMemoryCatalogueStore.create(), purchases, purchases);

    @Override
    protected Stores first() {
      return stores;
    }
  }

  @Test
  @DisplayName("a store that ignores versions and causes fails all three rules")
  void carelessStoreFailsAllRules() {
    Run run = KitCatchesBrokenStoresTest.run("junit-jupiter", Careless.class);
    assertThat(run.failed())
        .isEqualTo(
            Set.of(
                "required_aPaidPackageIsGrantedOnceWhateverTheDeliveries",
                "required_theBuyersReturnRacingTheWebhooksGrantsOnce",
                "required_aRefundReportedByRacingDeliveriesIsAppliedOnce"));
  }
}
