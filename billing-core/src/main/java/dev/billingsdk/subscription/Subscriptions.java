package dev.billingsdk.subscription;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PlanId;
import java.util.List;
import java.util.Optional;

/**
 * Subscriptions to catalogue plans. Obtain from {@code Billing}. See {@code docs/subscriptions.md}.
 */
public interface Subscriptions {

  /**
   * Starts a subscription (or returns the one started before under the same id): with a hosted
   * checkout it waits for the first payment; with a saved method it charges the first period now
   * (or trials first).
   *
   * @throws SubscriptionsDisabledException if the tenant's settings have subscriptions off
   * @throws dev.billingsdk.catalogue.CatalogueItemArchivedException if the plan is not on sale
   */
  SubscriptionStarted subscribe(SubscribeRequest request);

  /**
   * Moves an active subscription to another plan of the same cadence: an upgrade (a higher price in
   * the subscription's currency) applies now, charging the rest of the period's price difference
   * and granting the rest of its allowance difference; a downgrade applies from the next period.
   */
  PlanChangeOutcome changePlan(
      TenantId tenant, SubscriptionId subscription, PlanId plan, Actor actor, String reason);

  /**
   * Cancels a subscription: at once, or at the end of its paid periods (it keeps its allowance
   * until then, and is not renewed).
   */
  Subscription cancel(
      TenantId tenant,
      SubscriptionId subscription,
      boolean atPeriodEnd,
      Actor actor,
      String reason);

  /**
   * The renewal job: for every due subscription of the tenant, starts periods whose checkout was
   * paid, charges trials that ended and periods that begin, retries failed payments on the dunning
   * schedule and cancels after the last, and ends subscriptions canceled at period end. Each period
   * is paid and granted once however often it runs, after a crash, or with two instances running.
   */
  RenewalRun runRenewals(TenantId tenant, Actor actor);

  Optional<Subscription> subscription(TenantId tenant, SubscriptionId subscription);

  List<Subscription> subscriptionsOf(TenantId tenant, AccountId account);

  /** The subscription's changes, oldest first: its audit trail. */
  List<SubscriptionChange> history(TenantId tenant, SubscriptionId subscription);
}
