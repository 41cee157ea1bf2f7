package dev.billingsdk.spi;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where subscriptions and their changes live. The rules a store must keep are {@code
 * SubscriptionStoreTck}'s (billing-tck): a subscription id is taken once per tenant; a change
 * applies only to the version it was decided on and a cause once per subscription; the due list is
 * ordered and complete.
 */
public interface SubscriptionStore {

  /**
   * Stores {@code subscription} (version 1) with its creation {@code change}, unless the tenant has
   * a subscription of that id, and returns the stored one either way: the caller compares it with
   * what it meant to create.
   */
  Subscription createIfAbsent(Subscription subscription, SubscriptionChange created);

  Optional<Subscription> subscription(TenantId tenant, SubscriptionId id);

  /**
   * Stores {@code next} (whose version is {@code current.version() + 1}) and {@code change},
   * atomically, if the stored subscription is still at {@code current.version()} and no change of
   * it has the same cause. Returns whether it did (nothing is written otherwise: read again and
   * decide again).
   */
  boolean update(Subscription current, Subscription next, SubscriptionChange change);

  /** The changes of a subscription, oldest first. */
  List<SubscriptionChange> changes(TenantId tenant, SubscriptionId id);

  /**
   * Up to {@code limit} subscriptions of the tenant whose {@link Subscription#nextActionAt()} is at
   * or before {@code at}, ordered by that instant, then id. Final subscriptions are never due.
   */
  List<Subscription> due(TenantId tenant, Instant at, int limit);

  /** The subscriptions of an account, ordered by creation, then id. */
  List<Subscription> subscriptionsOf(TenantId tenant, AccountId account);
}
