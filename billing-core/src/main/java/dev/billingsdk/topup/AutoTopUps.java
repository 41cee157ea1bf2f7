package dev.billingsdk.topup;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.TenantId;
import java.util.List;
import java.util.Optional;

/** Auto-top-up rules and their worker. Obtain from {@code Billing}. See docs/auto-top-up.md. */
public interface AutoTopUps {

  /**
   * Sets the account's rule (enabled, its counters kept) and arms the account's low-balance alert
   * at the rule's threshold: the alert's firing, written in the same store transaction as the debit
   * that crossed the threshold, is the rule's trigger.
   *
   * @throws dev.billingsdk.catalogue.CatalogueItemNotFoundException if the package does not exist
   */
  TopUpRule configure(TopUpRuleRequest request);

  /** Disables the account's rule; nothing more is bought. */
  TopUpRule disable(TenantId tenant, AccountId account, Actor actor);

  Optional<TopUpRule> rule(TenantId tenant, AccountId account);

  /**
   * The worker: for every enabled rule of the tenant whose account's balance fell below the
   * threshold (its alert fired and has not re-armed), buys one top-up within the guardrails, or
   * reads the pending one. At most one top-up is pending per account, however many instances run.
   */
  List<TopUpOutcome> run(TenantId tenant, Actor actor);

  /** The worker for one account (for a host that reacts to the alert's event at once). */
  Optional<TopUpOutcome> runFor(TenantId tenant, AccountId account, Actor actor);
}
