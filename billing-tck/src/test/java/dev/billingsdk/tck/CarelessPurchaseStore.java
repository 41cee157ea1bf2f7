package dev.billingsdk.tck;

import dev.billingsdk.TenantId;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseTransition;
import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.spi.PurchaseStore;
import dev.billingsdk.spi.StoredProviderEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A purchase store that applies every transition it is given to the stored purchase, whatever
 * version it was decided on and whatever cause it repeats (a plain UPDATE without a WHERE on the
 * version): the flow kit must catch it. Events are kept correctly.
 */
final class CarelessPurchaseStore implements PurchaseStore, ProviderEventStore {
  private final InMemoryPurchaseStore inner = InMemoryPurchaseStore.create();

  @Override
  public Purchase createIfAbsent(Purchase purchase) {
    return inner.createIfAbsent(purchase);
  }

  @Override
  public Optional<Purchase> purchase(TenantId tenant, PurchaseId id) {
    return inner.purchase(tenant, id);
  }

  @Override
  public Optional<Purchase> findByProviderRef(String provider, String ref) {
    Optional<Purchase> found = inner.findByProviderRef(provider, ref);
    // A slow read, as over a network: racing deliveries all decide on the same version.
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return found;
  }

  @Override
  public synchronized Optional<Purchase> transition(Purchase current, PurchaseTransition t) {
    Purchase stored = inner.purchase(current.tenant(), current.id()).orElseThrow();
    // Re-based on whatever is stored, with a cause made unique: nothing is ever refused.
    PurchaseTransition rebased =
        new PurchaseTransition(
            t.tenant(),
            t.purchase(),
            stored.version() + 1,
            stored.state(),
            t.to(),
            t.at(),
            t.cause() + "#" + stored.version(),
            t.detail(),
            t.checkoutRef(),
            t.paymentRef(),
            t.refunded(),
            t.review() || stored.state() == t.to() && !t.refunded().isPositive());
    return inner.transition(stored, rebased);
  }

  @Override
  public List<PurchaseTransition> transitions(TenantId tenant, PurchaseId id) {
    return inner.transitions(tenant, id);
  }

  @Override
  public boolean recordIfAbsent(ProviderEvent event, Instant receivedAt) {
    return inner.recordIfAbsent(event, receivedAt);
  }

  @Override
  public Optional<StoredProviderEvent> find(String provider, String eventId) {
    return inner.find(provider, eventId);
  }

  @Override
  public boolean markProcessed(String provider, String eventId, Instant at, String outcome) {
    return inner.markProcessed(provider, eventId, at, outcome);
  }
}
