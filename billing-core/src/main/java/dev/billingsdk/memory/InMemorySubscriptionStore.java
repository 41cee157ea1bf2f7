package dev.billingsdk.memory;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link SubscriptionStore} in memory: for tests, examples and single-process hosts. */
public final class InMemorySubscriptionStore implements SubscriptionStore {

  /** One tenant's subscriptions and changes; every access holds its monitor. */
  private static final class Tenant {
    final Map<SubscriptionId, Subscription> subscriptions = new LinkedHashMap<>();
    final Map<SubscriptionId, List<SubscriptionChange>> changes = new HashMap<>();
  }

  private final Map<TenantId, Tenant> tenants = new ConcurrentHashMap<>();

  private InMemorySubscriptionStore() {}

  public static InMemorySubscriptionStore create() {
    return new InMemorySubscriptionStore();
  }

  private Tenant of(TenantId tenant) {
    return tenants.computeIfAbsent(tenant, t -> new Tenant());
  }

  @Override
  public Subscription createIfAbsent(Subscription subscription, SubscriptionChange created) {
    Tenant t = of(subscription.tenant());
    synchronized (t) {
      Subscription stored = t.subscriptions.get(subscription.id());
      if (stored != null) {
        return stored;
      }
      t.subscriptions.put(subscription.id(), subscription);
      t.changes.put(subscription.id(), new ArrayList<>(List.of(created)));
      return subscription;
    }
  }

  @Override
  public Optional<Subscription> subscription(TenantId tenant, SubscriptionId id) {
    Tenant t = of(tenant);
    synchronized (t) {
      return Optional.ofNullable(t.subscriptions.get(id));
    }
  }

  @Override
  public boolean update(Subscription current, Subscription next, SubscriptionChange change) {
    Tenant t = of(current.tenant());
    synchronized (t) {
      Subscription stored = t.subscriptions.get(current.id());
      List<SubscriptionChange> log = t.changes.get(current.id());
      if (stored == null
          || log == null
          || stored.version() != current.version()
          || next.version() != current.version() + 1
          || log.stream().anyMatch(c -> c.cause().equals(change.cause()))) {
        return false;
      }
      t.subscriptions.put(current.id(), next);
      log.add(change);
      return true;
    }
  }

  @Override
  public List<SubscriptionChange> changes(TenantId tenant, SubscriptionId id) {
    Tenant t = of(tenant);
    synchronized (t) {
      return List.copyOf(t.changes.getOrDefault(id, List.of()));
    }
  }

  @Override
  public List<Subscription> due(TenantId tenant, Instant at, int limit) {
    Tenant t = of(tenant);
    synchronized (t) {
      return t.subscriptions.values().stream()
          .filter(s -> s.nextActionAt().map(x -> !x.isAfter(at)).orElse(false))
          .sorted(
              Comparator.comparing((Subscription s) -> s.nextActionAt().orElseThrow())
                  .thenComparing(s -> s.id().value()))
          .limit(limit)
          .toList();
    }
  }

  @Override
  public List<Subscription> subscriptionsOf(TenantId tenant, AccountId account) {
    Tenant t = of(tenant);
    synchronized (t) {
      return t.subscriptions.values().stream()
          .filter(s -> s.account().equals(account))
          .sorted(Comparator.comparing(Subscription::createdAt).thenComparing(s -> s.id().value()))
          .toList();
    }
  }
}
