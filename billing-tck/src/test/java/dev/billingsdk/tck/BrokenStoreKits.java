package dev.billingsdk.tck;

import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.tck.SwitchableStore.Safeguard;

/**
 * The kit's subclasses for each store of {@link KitCatchesBrokenStoresTest}. This holder's name
 * matches none of the build's test patterns, so the broken kits run only when that test launches
 * them (Surefire runs the nested classes of a class whose name matches).
 */
final class BrokenStoreKits {
  private BrokenStoreKits() {}

  static class Correct extends BillingStoreTck {
    final BillingStore store = SwitchableStore.correct();

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  static class CorrectProperties extends BillingStoreProperties {
    final BillingStore store = SwitchableStore.correct();

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Reads, decides and writes balances in separate steps, with no version check. */
  static class LosesConcurrentUpdates extends BillingStoreTck {
    final BillingStore store =
        SwitchableStore.without(Safeguard.VERSION_CHECK, Safeguard.BALANCE_RULES, Safeguard.ATOMIC);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Never looks an idempotency key up when it writes. */
  static class IgnoresIdempotencyKeys extends BillingStoreTck {
    final BillingStore store = SwitchableStore.without(Safeguard.KEY_CHECK);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  static class IgnoresIdempotencyKeysProperties extends BillingStoreProperties {
    final BillingStore store = SwitchableStore.without(Safeguard.KEY_CHECK);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Trusts the service: writes whatever balances the postings give, below zero included. */
  static class SkipsBalanceRules extends BillingStoreTck {
    final BillingStore store = SwitchableStore.without(Safeguard.BALANCE_RULES);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Keeps the version check but does not check the key in the same atomic step as the write. */
  static class ChecksVersionButNotAtomically extends BillingStoreTck {
    final BillingStore store = SwitchableStore.without(Safeguard.ATOMIC);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  // ------------------------------------------------------------------ the credit lifecycle

  /** Resolves any reservation it is told to, and ignores what RESERVED moves by. */
  static class ResolvesAnyReservation extends BillingStoreTck {
    final BillingStore store = SwitchableStore.without(Safeguard.RESERVATION_CHECK);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Never indexes the reference a reversal carries: nothing ever corrects anything. */
  static class ForgetsCorrections extends BillingStoreTck {
    final BillingStore store = SwitchableStore.without(Safeguard.CORRECTIONS);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** The expiry queries return every grant and reservation with an expiry, due or not. */
  static class ExpiryQueriesIgnoreTheirTerms extends BillingStoreTck {
    final BillingStore store = SwitchableStore.without(Safeguard.EXPIRY_QUERY);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Writes a write's events to the outbox before, and whether or not, the write applies. */
  static class OutboxOutsideTheWrite extends BillingStoreTck {
    final BillingStore store = SwitchableStore.without(Safeguard.OUTBOX_ATOMIC);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Drops the alert state a write carries and applies a stale alert update. */
  static class UnversionedAlerts extends BillingStoreTck {
    final BillingStore store = SwitchableStore.without(Safeguard.ALERT_STATE);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Pages history oldest first (ORDER BY sequence, ascending, under the limit). */
  static class HistoryOldestFirst extends BillingStoreTck {
    final BillingStore store = SwitchableStore.without(Safeguard.HISTORY_ORDER);

    @Override
    protected BillingStore store() {
      return store;
    }
  }

  /** Keeps the version check but checks and writes in two steps, for the lifecycle property. */
  static class ChecksVersionButNotAtomicallyProperties extends BillingStoreProperties {
    final BillingStore store = SwitchableStore.without(Safeguard.ATOMIC);

    @Override
    protected BillingStore store() {
      return store;
    }
  }
}
