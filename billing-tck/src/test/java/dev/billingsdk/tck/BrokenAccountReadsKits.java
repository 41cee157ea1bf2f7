package dev.billingsdk.tck;

import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.MisreadingStore.Misread;
import dev.billingsdk.tck.SwitchableStore.Safeguard;

/**
 * The account-reads kit on broken stores, for {@link AccountReadsKitCatchesBrokenStoresTest}. This
 * holder's name matches none of the build's test patterns, so the kits run here only when that test
 * launches them.
 */
final class BrokenAccountReadsKits {
  private BrokenAccountReadsKits() {}

  /** What the next launch of {@link Misreading} misreads; set by the self-test before it. */
  static volatile Misread misread = Misread.NONE;

  static class Misreading extends AccountReadsTck {
    final BillingStore store = MisreadingStore.with(misread);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  static class Correct extends AccountReadsTck {
    final BillingStore store = SwitchableStore.correct();

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Lists only the categories of grants that still hold credit. */
  static class ForgetsSpentCategories extends AccountReadsTck {
    final BillingStore store = SwitchableStore.without(Safeguard.CATEGORY_HISTORY);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Looks external keys up (and keeps them unique) across every tenant. */
  static class KeysIgnoreTheTenant extends AccountReadsTck {
    final BillingStore store = SwitchableStore.without(Safeguard.KEY_TENANT);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Scans external keys ignoring case. */
  static class KeysIgnoreCase extends AccountReadsTck {
    final BillingStore store = SwitchableStore.without(Safeguard.KEY_EXACT);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Checks that a key is free, lets go, then claims it: two racers may both get it. */
  static class ClaimsKeysInTwoSteps extends AccountReadsTck {
    final BillingStore store = SwitchableStore.without(Safeguard.KEY_CLAIM_ATOMIC);

    @Override
    protected BillingStore store() {
      return store;
    }
  }
}
