package dev.billingsdk.spi;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.topup.TopUpRule;
import java.util.List;
import java.util.Optional;

/**
 * Where auto-top-up rules live, one per account. The rules a store must keep are {@code
 * TopUpStoreTck}'s (billing-tck): a rule reads back exactly; a write applies only to the version it
 * was decided on, so of writers racing to start a top-up exactly one does.
 */
public interface TopUpStore {

  /**
   * Stores {@code next}: as the account's first rule when {@code current} is empty (and the account
   * has none), else in place of {@code current} if the stored rule is still at its version (and
   * {@code next.version()} is one more). Returns whether it did; nothing is written otherwise.
   */
  boolean save(Optional<TopUpRule> current, TopUpRule next);

  Optional<TopUpRule> rule(TenantId tenant, AccountId account);

  /** The tenant's rules, ordered by account. */
  List<TopUpRule> rules(TenantId tenant);
}
