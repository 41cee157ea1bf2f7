package dev.billingsdk.memory;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
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
import org.jspecify.annotations.Nullable;

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
  // The current refs of each kind, as a database's unique index on each column holds them: a ref
  // names one purchase, and one a transition replaced names none.
  private final Map<Ref, Key> checkoutRefs = new HashMap<>();
  private final Map<Ref, Key> paymentRefs = new HashMap<>();
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
    checkRefsFree(purchase, key);
    purchases.put(key, purchase);
    transitions.put(key, new ArrayList<>());
    index(null, purchase, key);
    return purchase;
  }

  /** Refuses a purchase whose ref another purchase of its provider holds, in the same role. */
  private void checkRefsFree(Purchase p, Key key) {
    checkFree(checkoutRefs, p, p.checkoutRef(), key, "checkout reference");
    checkFree(paymentRefs, p, p.paymentRef(), key, "payment reference");
  }

  private static void checkFree(
      Map<Ref, Key> refs, Purchase p, Optional<String> ref, Key key, String what) {
    if (ref.isEmpty()) {
      return;
    }
    Key holder = refs.get(new Ref(p.provider(), ref.get()));
    if (holder != null && !holder.equals(key)) {
      throw new PurchaseConflictException(
          p.id(),
          "the " + what + " " + ref.get() + " at " + p.provider() + " names another purchase");
    }
  }

  private void index(@Nullable Purchase before, Purchase after, Key key) {
    if (before != null) {
      before.checkoutRef().ifPresent(r -> checkoutRefs.remove(new Ref(before.provider(), r)));
      before.paymentRef().ifPresent(r -> paymentRefs.remove(new Ref(before.provider(), r)));
    }
    after.checkoutRef().ifPresent(r -> checkoutRefs.put(new Ref(after.provider(), r), key));
    after.paymentRef().ifPresent(r -> paymentRefs.put(new Ref(after.provider(), r), key));
  }

  @Override
  public synchronized Optional<Purchase> purchase(TenantId tenant, PurchaseId id) {
    return Optional.ofNullable(purchases.get(new Key(tenant, id)));
  }

  @Override
  public synchronized Optional<Purchase> findByProviderRef(String provider, String ref) {
    Ref r = new Ref(provider, ref);
    Key key = checkoutRefs.get(r);
    if (key == null) {
      key = paymentRefs.get(r);
    }
    return key == null ? Optional.empty() : Optional.ofNullable(purchases.get(key));
  }

  @Override
  public synchronized Optional<Purchase> transition(Purchase current, PurchaseTransition t) {
    // What is stored is exactly current.after(t); a transition that is not the next step of
    // current is refused before anything is read.
    Purchase next = current.after(t);
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
    checkRefsFree(next, key);
    purchases.put(key, next);
    steps.add(t);
    index(stored, next, key);
    return Optional.of(next);
  }

  @Override
  public synchronized List<PurchaseTransition> transitions(TenantId tenant, PurchaseId id) {
    return List.copyOf(transitions.getOrDefault(new Key(tenant, id), List.of()));
  }

  @Override
  public synchronized boolean recordIfAbsent(ProviderEvent event, Instant receivedAt) {
    StoredProviderEvent stored =
        new StoredProviderEvent(event, receivedAt, Optional.empty(), Optional.empty());
    return events.putIfAbsent(new EventKey(event.provider(), event.eventId()), stored) == null;
  }

  @Override
  public synchronized Optional<StoredProviderEvent> find(String provider, String eventId) {
    return Optional.ofNullable(events.get(new EventKey(provider, eventId)));
  }

  @Override
  public synchronized boolean markProcessed(
      String provider, String eventId, Instant at, String outcome) {
    // Checked first, so that a refused mark is refused whether or not the event is stored.
    Instant processedAt = InputContract.instant(at, "processedAt");
    Identifiers.check(outcome, "outcome");
    EventKey key = new EventKey(provider, eventId);
    StoredProviderEvent e = events.get(key);
    if (e == null || e.processedAt().isPresent()) {
      return false;
    }
    events.put(
        key,
        new StoredProviderEvent(
            e.event(), e.receivedAt(), Optional.of(processedAt), Optional.of(outcome)));
    return true;
  }
}
