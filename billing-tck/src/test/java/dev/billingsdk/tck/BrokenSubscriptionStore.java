package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A subscription store written the way hand-made ones go wrong, one mistake at a time, for {@link
 * SubscriptionKitCatchesBrokenStoresTest}. With {@link Mistake#NONE} it is a correct store.
 */
final class BrokenSubscriptionStore implements SubscriptionStore {

  enum Mistake {
    NONE,
    /** Creating an id that exists replaces it ("upsert"). */
    OVERWRITES_ON_CREATE,
    /** Updates whatever version is stored ("last write wins"). */
    IGNORES_VERSION,
    /** Applies a cause again on a later version. */
    CAUSE_TWICE,
    /** Checks the version, then writes, with nothing holding the two together. */
    CHECK_THEN_UPDATE,
    /** Lists canceled and expired subscriptions as due. */
    DUE_INCLUDES_FINAL,
    /** Orders the due list by id only. */
    DUE_BY_ID,
    /** Loses the zone on the way back: UTC. */
    DROPS_ZONE
  }

  private record Key(TenantId tenant, SubscriptionId id) {}

  private final Mistake mistake;
  private final Map<Key, Subscription> rows = new ConcurrentHashMap<>();
  private final Map<Key, List<SubscriptionChange>> changes = new ConcurrentHashMap<>();

  BrokenSubscriptionStore(Mistake mistake) {
    this.mistake = mistake;
  }

  @Override
  public synchronized Subscription createIfAbsent(Subscription s, SubscriptionChange created) {
    Key k = new Key(s.tenant(), s.id());
    if (rows.containsKey(k) && mistake != Mistake.OVERWRITES_ON_CREATE) {
      return read(rows.get(k));
    }
    rows.put(k, s);
    changes.put(k, new CopyOnWriteArrayList<>(List.of(created)));
    return s;
  }

  private Subscription read(Subscription s) {
    if (mistake != Mistake.DROPS_ZONE) {
      return s;
    }
    return new Subscription(
        s.tenant(),
        s.id(),
        s.account(),
        s.plan(),
        s.nextPlan(),
        s.cadence(),
        s.price(),
        s.provider(),
        s.state(),
        ZoneOffset.UTC,
        s.createdAt(),
        s.anchor(),
        s.paidPeriods(),
        s.trialEnd(),
        s.cancelAtPeriodEnd(),
        s.endedAt(),
        s.customer(),
        s.paymentMethod(),
        s.failedAttempts(),
        s.nextAttemptAt(),
        s.version());
  }

  @Override
  public Optional<Subscription> subscription(TenantId tenant, SubscriptionId id) {
    return Optional.ofNullable(rows.get(new Key(tenant, id))).map(this::read);
  }

  @Override
  public boolean update(Subscription current, Subscription next, SubscriptionChange change) {
    if (mistake == Mistake.CHECK_THEN_UPDATE) {
      return write(current, next, change, true);
    }
    synchronized (this) {
      return write(current, next, change, false);
    }
  }

  private boolean write(
      Subscription current, Subscription next, SubscriptionChange change, boolean slow) {
    Key k = new Key(current.tenant(), current.id());
    Subscription stored = rows.get(k);
    if (stored == null) {
      return false;
    }
    if (mistake != Mistake.IGNORES_VERSION && stored.version() != current.version()) {
      return false;
    }
    if (mistake != Mistake.CAUSE_TWICE
        && changes.get(k).stream().anyMatch(c -> c.cause().equals(change.cause()))) {
      return false;
    }
    if (slow) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    rows.put(k, next);
    changes.get(k).add(change);
    return true;
  }

  @Override
  public List<SubscriptionChange> changes(TenantId tenant, SubscriptionId id) {
    return List.copyOf(changes.getOrDefault(new Key(tenant, id), List.of()));
  }

  @Override
  public List<Subscription> due(TenantId tenant, Instant at, int limit) {
    List<Subscription> out = new ArrayList<>();
    for (Subscription s : rows.values()) {
      if (!s.tenant().equals(tenant)) {
        continue;
      }
      Optional<Instant> when =
          mistake == Mistake.DUE_INCLUDES_FINAL && s.state().isFinal()
              ? Optional.of(s.createdAt())
              : s.nextActionAt();
      if (when.isPresent() && !when.get().isAfter(at)) {
        out.add(read(s));
      }
    }
    Comparator<Subscription> byId = Comparator.comparing(s -> s.id().value());
    out.sort(
        mistake == Mistake.DUE_BY_ID
            ? byId
            : Comparator.comparing((Subscription s) -> s.nextActionAt().orElse(s.createdAt()))
                .thenComparing(byId));
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  @Override
  public List<Subscription> subscriptionsOf(TenantId tenant, AccountId account) {
    return rows.values().stream()
        .filter(s -> s.tenant().equals(tenant) && s.account().equals(account))
        .sorted(Comparator.comparing(Subscription::createdAt).thenComparing(s -> s.id().value()))
        .map(this::read)
        .toList();
  }
}
