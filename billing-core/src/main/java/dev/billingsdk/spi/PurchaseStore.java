package dev.billingsdk.spi;

import dev.billingsdk.TenantId;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseConflictException;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseTransition;
import java.util.List;
import java.util.Optional;

/**
 * Where purchases and their transitions live. The rules a store must keep are {@code
 * PurchaseStoreTck}'s (billing-tck): a purchase id is taken once per tenant, a transition applies
 * only to the version it was decided on, a cause is applied to a purchase once, and a provider's
 * checkout reference (or payment id) names at most one purchase at a time.
 */
public interface PurchaseStore {

  /**
   * Stores {@code purchase} (version 0) unless its tenant already has a purchase of that id, and
   * returns the stored one either way: the caller compares it with what it meant to create.
   *
   * @throws PurchaseConflictException if the id is free but another purchase of the provider holds
   *     the same checkout reference (or payment id); nothing is written
   */
  Purchase createIfAbsent(Purchase purchase);

  Optional<Purchase> purchase(TenantId tenant, PurchaseId id);

  /**
   * The purchase whose checkout reference or payment id, at {@code provider}, is {@code ref}: how a
   * webhook, which names no tenant, finds its purchase. Both match exactly (case counts), and only
   * the purchase's current references: one a transition replaced finds nothing.
   */
  Optional<Purchase> findByProviderRef(String provider, String ref);

  /**
   * Applies {@code transition} to {@code current} and stores both, atomically, if the stored
   * purchase is still at {@code current.version()} and no transition of this purchase has the same
   * cause. Returns the purchase after it ({@code current.after(transition)}, exactly); empty when
   * the version moved or the cause was applied before (nothing is written then: read again and
   * decide again).
   *
   * @throws dev.billingsdk.InvalidRequestException if {@code transition} is not the next step of
   *     {@code current} ({@link Purchase#after}); nothing is read or written
   * @throws PurchaseConflictException if the purchase does not exist, or the step would give it a
   *     checkout reference (or payment id) that another purchase of the provider holds; nothing is
   *     written
   */
  Optional<Purchase> transition(Purchase current, PurchaseTransition transition);

  /** The transitions of a purchase, oldest first. */
  List<PurchaseTransition> transitions(TenantId tenant, PurchaseId id);
}
