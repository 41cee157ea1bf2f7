package dev.billingsdk.memory;

import dev.billingsdk.TenantId;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseConflictException;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseTransition;
import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.spi.PurchaseStore;
import dev.billingsdk.spi.StoredProviderEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Purchases and provider events in memory ({@link PurchaseStore} and {@link ProviderEventStore}):
 * for tests, examples and single-process hosts. One lock guards it all.
 */
public final class InMemoryPurchaseStore implements PurchaseStore, ProviderEventStore {

  private record Key(TenantId tenant, PurchaseId id) {}

  private record Ref(String provider, String ref) {}

  private record EventKey(String provider, String eventId) {}

  private final Map<Key, Purchase> purchases = new HashMap<>();
  private final Map<Key, List<PurchaseTransition>> transitions = new HashMap<>();
  private final Map<Ref, Key> refs = new HashMap<>();
  private final Map<EventKey, StoredProviderEvent> events = new HashMap<>();

  private InMemoryPurchaseStore() {}

  public static InMemoryPurchaseStore create() {
    return new InMemoryPurchaseStore();
  }

  @Override
  public synchronized Purchase createIfAbsent(Purchase purchase) {
    Key key = new Key(purchase.tenant(), purchase.id());
    Purchase stored = purchases.get(key);
    if (stored != null) {
      return stored;
    }
    purchases.put(key, purchase);
    transitions.put(key, new ArrayList<>());
    index(purchase, key);
    return purchase;
  }

  private void index(Purchase p, Key key) {
    p.checkoutRef().ifPresent(r -> refs.putIfAbsent(new Ref(p.provider(), r), key));
    p.paymentRef().ifPresent(r -> refs.putIfAbsent(new Ref(p.provider(), r), key));
  }

  @Override
  public synchronized Optional<Purchase> purchase(TenantId tenant, PurchaseId id) {
    return Optional.ofNullable(purchases.get(new Key(tenant, id)));
  }

  @Override
  public synchronized Optional<Purchase> findByProviderRef(String provider, String ref) {
    Key key = refs.get(new Ref(provider, ref));
    return key == null ? Optional.empty() : Optional.ofNullable(purchases.get(key));
  }

  @Override
  public synchronized Optional<Purchase> transition(Purchase current, PurchaseTransition t) {
    Key key = new Key(current.tenant(), current.id());
    Purchase stored = purchases.get(key);
    if (stored == null) {
      throw new PurchaseConflictException(current.id(), "no such purchase");
    }
    List<PurchaseTransition> steps = transitions.computeIfAbsent(key, k -> new ArrayList<>());
    if (stored.version() != current.version()
        || steps.stream().anyMatch(s -> s.cause().equals(t.cause()))) {
      return Optional.empty();
    }
    Purchase next = stored.after(t);
    purchases.put(key, next);
    steps.add(t);
    index(next, key);
    return Optional.of(next);
  }

  @Override
  public synchronized List<PurchaseTransition> transitions(TenantId tenant, PurchaseId id) {
    return List.copyOf(transitions.getOrDefault(new Key(tenant, id), List.of()));
  }

  @Override
  public synchronized boolean recordIfAbsent(ProviderEvent event, Instant receivedAt) {
    EventKey key = new EventKey(event.provider(), event.eventId());
    if (events.containsKey(key)) {
      return false;
    }
    events.put(key, new StoredProviderEvent(event, receivedAt, Optional.empty(), Optional.empty()));
    return true;
  }

  @Override
  public synchronized Optional<StoredProviderEvent> find(String provider, String eventId) {
    return Optional.ofNullable(events.get(new EventKey(provider, eventId)));
  }

  @Override
  public synchronized boolean markProcessed(
      String provider, String eventId, Instant at, String outcome) {
    EventKey key = new EventKey(provider, eventId);
    StoredProviderEvent e = events.get(key);
    if (e == null || e.processedAt().isPresent()) {
      return false;
    }
    events.put(
        key,
        new StoredProviderEvent(e.event(), e.receivedAt(), Optional.of(at), Optional.of(outcome)));
    return true;
  }
}
