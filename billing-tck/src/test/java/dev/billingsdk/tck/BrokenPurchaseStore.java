package dev.billingsdk.tck;

import dev.billingsdk.TenantId;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseConflictException;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseTransition;
import dev.billingsdk.purchase.PurchasedItem;
import dev.billingsdk.spi.PurchaseStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A purchase store written the way hand-made ones go wrong, one mistake at a time, for {@link
 * PurchaseKitCatchesBrokenStoresTest}. With {@link Mistake#NONE} it is a correct store: one
 * monitor, references found by scanning the purchases in creation order.
 */
final class BrokenPurchaseStore implements PurchaseStore {

  enum Mistake {
    NONE,
    /** createIfAbsent replaces a stored purchase of the same id ("upsert"). */
    OVERWRITES,
    /** createIfAbsent checks the id is free, then stores, with nothing holding the two together. */
    CHECK_THEN_CREATE,
    /** A reference matches every stored one it is a prefix of ({@code LIKE ? || '%'}). */
    REF_PREFIX,
    /** References compare ignoring case (a case-insensitive collation). */
    REF_IGNORES_CASE,
    /** References are not unique: a second holder is stored, and the first one found. */
    REFS_NOT_UNIQUE,
    /** A reference a transition replaced still finds the purchase. */
    KEEPS_REPLACED_REFS,
    /** transition applies whatever version it was decided on. */
    IGNORES_VERSION,
    /** transition applies a cause again. */
    IGNORES_CAUSE,
    /** transition checks the version and the cause, then writes, in two steps. */
    CHECK_THEN_TRANSITION,
    /**
     * The purchase after a refund holds the step's refund, not the sum ({@code SET refunded = ?}).
     */
    REFUNDS_NOT_ADDED,
    /** Item names longer than 100 characters come back cut ({@code VARCHAR(100)}). */
    CUTS_LONG_NAMES,
    /** Transitions come back without their checkout and payment references. */
    TRANSITIONS_LOSE_REFS,
    /** Transitions are listed newest first ({@code ORDER BY sequence DESC}). */
    TRANSITIONS_NEWEST_FIRST,
    /** Purchases are keyed by id alone, so tenants share them. */
    TENANTS_MIXED
  }

  private record Key(TenantId tenant, PurchaseId id) {}

  private final Mistake mistake;
  private final Map<Key, Purchase> purchases = new LinkedHashMap<>();
  private final Map<Key, List<PurchaseTransition>> transitions = new LinkedHashMap<>();
  private final Map<Key, Set<String>> replacedRefs = new LinkedHashMap<>();

  BrokenPurchaseStore(Mistake mistake) {
    this.mistake = mistake;
  }

  private Key key(TenantId tenant, PurchaseId id) {
    return new Key(mistake == Mistake.TENANTS_MIXED ? TenantId.of("all") : tenant, id);
  }

  @Override
  public Purchase createIfAbsent(Purchase purchase) {
    Key key = key(purchase.tenant(), purchase.id());
    if (mistake == Mistake.CHECK_THEN_CREATE) {
      Purchase stored;
      synchronized (this) {
        stored = purchases.get(key);
      }
      if (stored != null) {
        return stored;
      }
      pause();
      synchronized (this) {
        checkRefsFree(purchase, key);
        purchases.put(key, purchase);
        transitions.put(key, new ArrayList<>());
      }
      return purchase;
    }
    synchronized (this) {
      Purchase stored = purchases.get(key);
      if (stored != null && mistake != Mistake.OVERWRITES) {
        return stored;
      }
      checkRefsFree(purchase, key);
      purchases.put(key, purchase);
      transitions.put(key, new ArrayList<>());
      return purchase;
    }
  }

  private void checkRefsFree(Purchase p, Key key) {
    if (mistake == Mistake.REFS_NOT_UNIQUE) {
      return;
    }
    for (Map.Entry<Key, Purchase> e : purchases.entrySet()) {
      Purchase other = e.getValue();
      if (e.getKey().equals(key) || !other.provider().equals(p.provider())) {
        continue;
      }
      if (taken(p.checkoutRef(), other.checkoutRef())
          || taken(p.paymentRef(), other.paymentRef())) {
        throw new PurchaseConflictException(p.id(), "a reference names another purchase");
      }
    }
  }

  private static boolean taken(Optional<String> mine, Optional<String> theirs) {
    return mine.isPresent() && mine.equals(theirs);
  }

  private static void pause() {
    Thread.yield();
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized Optional<Purchase> purchase(TenantId tenant, PurchaseId id) {
    return Optional.ofNullable(purchases.get(key(tenant, id))).map(this::out);
  }

  private Purchase out(Purchase p) {
    if (mistake != Mistake.CUTS_LONG_NAMES || p.item().name().length() <= 100) {
      return p;
    }
    PurchasedItem i = p.item();
    return new Purchase(
        p.tenant(),
        p.id(),
        p.account(),
        new PurchasedItem(i.kind(), i.itemId(), i.version(), i.name().substring(0, 100)),
        p.amount(),
        p.provider(),
        p.state(),
        p.checkoutRef(),
        p.paymentRef(),
        p.refunded(),
        p.needsReview(),
        p.createdAt(),
        p.updatedAt(),
        p.version());
  }

  @Override
  public synchronized Optional<Purchase> findByProviderRef(String provider, String ref) {
    for (Function<Purchase, Optional<String>> role :
        List.<Function<Purchase, Optional<String>>>of(
            Purchase::checkoutRef, Purchase::paymentRef)) {
      for (Map.Entry<Key, Purchase> e : purchases.entrySet()) {
        Purchase p = e.getValue();
        Optional<String> held = role.apply(p);
        if (p.provider().equals(provider) && held.isPresent() && matches(held.get(), ref)) {
          return Optional.of(out(p));
        }
      }
    }
    if (mistake == Mistake.KEEPS_REPLACED_REFS) {
      for (Map.Entry<Key, Set<String>> e : replacedRefs.entrySet()) {
        Purchase p = purchases.get(e.getKey());
        if (p != null && p.provider().equals(provider) && e.getValue().contains(ref)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private boolean matches(String stored, String asked) {
    return switch (mistake) {
      case REF_PREFIX -> stored.startsWith(asked);
      case REF_IGNORES_CASE ->
          stored.toLowerCase(Locale.ROOT).equals(asked.toLowerCase(Locale.ROOT));
      default -> stored.equals(asked);
    };
  }

  @Override
  public Optional<Purchase> transition(Purchase current, PurchaseTransition t) {
    Purchase next = current.after(t);
    if (mistake == Mistake.REFUNDS_NOT_ADDED) {
      next =
          new Purchase(
              next.tenant(),
              next.id(),
              next.account(),
              next.item(),
              next.amount(),
              next.provider(),
              next.state(),
              next.checkoutRef(),
              next.paymentRef(),
              t.refunded(),
              next.needsReview(),
              next.createdAt(),
              next.updatedAt(),
              next.version());
    }
    Key key = key(current.tenant(), current.id());
    if (mistake == Mistake.CHECK_THEN_TRANSITION) {
      synchronized (this) {
        if (!applies(current, t, key)) {
          return Optional.empty();
        }
      }
      pause();
      synchronized (this) {
        return Optional.of(write(key, next, t));
      }
    }
    synchronized (this) {
      if (!applies(current, t, key)) {
        return Optional.empty();
      }
      return Optional.of(write(key, next, t));
    }
  }

  /** Whether the purchase exists (else a conflict), is at the version and has not had the cause. */
  private boolean applies(Purchase current, PurchaseTransition t, Key key) {
    Purchase stored = purchases.get(key);
    if (stored == null) {
      throw new PurchaseConflictException(current.id(), "no such purchase");
    }
    if (mistake != Mistake.IGNORES_VERSION && stored.version() != current.version()) {
      return false;
    }
    return mistake == Mistake.IGNORES_CAUSE
        || transitions.get(key).stream().noneMatch(s -> s.cause().equals(t.cause()));
  }

  private Purchase write(Key key, Purchase next, PurchaseTransition t) {
    checkRefsFree(next, key);
    Purchase before = purchases.put(key, next);
    transitions.get(key).add(t);
    if (before != null) {
      Set<String> replaced = replacedRefs.computeIfAbsent(key, k -> new HashSet<>());
      before.checkoutRef().ifPresent(replaced::add);
      before.paymentRef().ifPresent(replaced::add);
    }
    return next;
  }

  @Override
  public synchronized List<PurchaseTransition> transitions(TenantId tenant, PurchaseId id) {
    List<PurchaseTransition> out = new ArrayList<>();
    for (PurchaseTransition t : transitions.getOrDefault(key(tenant, id), List.of())) {
      if (mistake == Mistake.TRANSITIONS_LOSE_REFS) {
        t =
            new PurchaseTransition(
                t.tenant(),
                t.purchase(),
                t.sequence(),
                t.from(),
                t.to(),
                t.at(),
                t.cause(),
                t.detail(),
                Optional.empty(),
                Optional.empty(),
                t.refunded(),
                t.review());
      }
      if (mistake == Mistake.TRANSITIONS_NEWEST_FIRST) {
        out.add(0, t);
      } else {
        out.add(t);
      }
    }
    return out;
  }
}
