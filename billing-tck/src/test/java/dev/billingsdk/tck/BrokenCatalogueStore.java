package dev.billingsdk.tck;

import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.catalogue.CatalogueVersionConflictException;
import dev.billingsdk.catalogue.CreditPackage;
import dev.billingsdk.spi.CatalogueStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A catalogue store written the way hand-made ones go wrong, one mistake at a time, for {@link
 * CatalogueKitCatchesBrokenStoresTest}. With {@link Mistake#NONE} it is a correct store.
 */
final class BrokenCatalogueStore implements CatalogueStore {

  enum Mistake {
    NONE,
    /** An added version replaces a stored one of the same number ("upsert"). */
    OVERWRITES,
    /** Checks the latest version, then adds, with nothing holding the two together. */
    CHECK_THEN_ADD,
    /** Keys items by id only, so a plan and a package of one id are one item. */
    KINDS_MIXED,
    /** Reads the first stored version as the latest (ORDER BY version without DESC). */
    LATEST_IS_FIRST,
    /** Loses the provider references of packages on the way back. */
    DROPS_PROVIDER_REFS,
    /** Compares ids as a PAD SPACE, case-blind collation does: 'Growth ' finds 'growth'. */
    LOOSE_IDS
  }

  private record Key(TenantId tenant, CatalogueItem.Kind kind, String id) {}

  private final Mistake mistake;
  private final Map<Key, List<CatalogueItem>> items = new ConcurrentHashMap<>();

  BrokenCatalogueStore(Mistake mistake) {
    this.mistake = mistake;
  }

  private Key key(TenantId tenant, CatalogueItem.Kind kind, String id) {
    String stored =
        mistake == Mistake.LOOSE_IDS ? id.stripTrailing().toLowerCase(java.util.Locale.ROOT) : id;
    return new Key(
        tenant, mistake == Mistake.KINDS_MIXED ? CatalogueItem.Kind.CREDIT_PACKAGE : kind, stored);
  }

  @Override
  public void addVersion(CatalogueItem item) {
    if (mistake == Mistake.CHECK_THEN_ADD) {
      List<CatalogueItem> v =
          items.computeIfAbsent(
              key(item.tenant(), item.kind(), item.itemId()), k -> new CopyOnWriteArrayList<>());
      int latest = v.size();
      check(item, latest);
      Thread.yield();
      sleepBriefly();
      v.add(item);
      return;
    }
    synchronized (this) {
      List<CatalogueItem> v =
          items.computeIfAbsent(
              key(item.tenant(), item.kind(), item.itemId()), k -> new CopyOnWriteArrayList<>());
      int adding = item.revision().version();
      if (mistake == Mistake.OVERWRITES && adding <= v.size()) {
        v.set(adding - 1, item);
        return;
      }
      check(item, v.size());
      v.add(item);
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void check(CatalogueItem item, int latest) {
    if (item.revision().version() != latest + 1) {
      throw new CatalogueVersionConflictException(
          item.itemId(), item.revision().version() - 1, latest);
    }
  }

  private CatalogueItem out(CatalogueItem item) {
    if (mistake == Mistake.DROPS_PROVIDER_REFS && item instanceof CreditPackage p) {
      return new CreditPackage(
          p.tenant(),
          p.id(),
          p.revision(),
          p.name(),
          p.credits(),
          p.bonusCredits(),
          p.price(),
          p.status(),
          p.grantTemplate(),
          Map.of());
    }
    return item;
  }

  @Override
  public Optional<CatalogueItem> latest(TenantId tenant, CatalogueItem.Kind kind, String itemId) {
    List<CatalogueItem> v = versions(tenant, kind, itemId);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(mistake == Mistake.LATEST_IS_FIRST ? v.get(0) : v.get(v.size() - 1));
  }

  @Override
  public Optional<CatalogueItem> version(
      TenantId tenant, CatalogueItem.Kind kind, String itemId, int version) {
    return versions(tenant, kind, itemId).stream()
        .filter(i -> i.revision().version() == version)
        .findFirst();
  }

  @Override
  public List<CatalogueItem> versions(TenantId tenant, CatalogueItem.Kind kind, String itemId) {
    List<CatalogueItem> v = items.getOrDefault(key(tenant, kind, itemId), List.of());
    List<CatalogueItem> out = new ArrayList<>();
    for (CatalogueItem i : v) {
      out.add(out(i));
    }
    return out;
  }

  @Override
  public List<CatalogueItem> latestOfEach(TenantId tenant, CatalogueItem.Kind kind) {
    List<CatalogueItem> out = new ArrayList<>();
    items.forEach(
        (k, v) -> {
          if (k.tenant().equals(tenant)
              && (k.kind() == kind || mistake == Mistake.KINDS_MIXED)
              && !v.isEmpty()) {
            latest(tenant, kind, k.id()).ifPresent(out::add);
          }
        });
    out.sort(Comparator.comparing(CatalogueItem::itemId));
    return out;
  }
}
