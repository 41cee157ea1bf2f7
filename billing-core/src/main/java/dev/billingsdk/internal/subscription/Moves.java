package dev.billingsdk.internal.subscription;

import dev.billingsdk.event.SubscriptionUpdated;
import dev.billingsdk.internal.event.Events;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionNotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Subscription changes stored on the version they were decided on, then published. */
final class Moves {
  private final SubscriptionStore store;
  private final Events events;

  Moves(SubscriptionStore store, Events events) {
    this.store = store;
    this.events = events;
  }

  Subscription latest(Subscription s) {
    return store
        .subscription(s.tenant(), s.id())
        .orElseThrow(() -> new SubscriptionNotFoundException(s.tenant(), s.id()));
  }

  /**
   * Stores {@code next} with its change if {@code current} is still the stored version and the
   * cause is new; empty when not (read again and decide again). Publishes the change once stored.
   */
  Optional<SubscriptionChange> apply(
      Subscription current,
      Subscription next,
      SubscriptionChange.Kind kind,
      String actor,
      String cause,
      String detail,
      Instant at) {
    SubscriptionChange change =
        new SubscriptionChange(
            current.tenant(),
            current.id(),
            next.version(),
            current.state(),
            next.state(),
            kind,
            at,
            actor,
            cause,
            detail);
    if (!store.update(current, next, change)) {
      return Optional.empty();
    }
    publish(next, change);
    return Optional.of(change);
  }

  void publish(Subscription s, SubscriptionChange change) {
    events.dispatch(
        List.of(
            new SubscriptionUpdated(
                "subscription:" + s.tenant().value() + ":" + s.id().value() + ":" + s.version(),
                s.tenant(),
                s.account(),
                change.at(),
                s.id(),
                change.kind(),
                s.state(),
                change.detail())));
  }
}
