package dev.billingsdk.spi;

import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.catalogue.CatalogueVersionConflictException;
import java.util.List;
import java.util.Optional;

/**
 * Where catalogue versions live. Versions are immutable: a store only adds them, never changes or
 * removes one. The rules a store must keep are {@code CatalogueStoreTck}'s (billing-tck).
 */
public interface CatalogueStore {

  /**
   * Adds {@code item} as version {@code item.revision().version()} of its item, which must be one
   * more than the latest stored version (1 for a new item). Atomic: when two callers add the same
   * version at once, exactly one succeeds.
   *
   * @throws CatalogueVersionConflictException if that version exists, or the one before does not
   *     (expected: the version the caller based its change on; actual: the latest stored, 0 for
   *     none); nothing is written
   */
  void addVersion(CatalogueItem item);

  /** The latest version of an item. */
  Optional<CatalogueItem> latest(TenantId tenant, CatalogueItem.Kind kind, String itemId);

  /** One version of an item. */
  Optional<CatalogueItem> version(
      TenantId tenant, CatalogueItem.Kind kind, String itemId, int version);

  /** Every version of an item, oldest first; empty if there is none. */
  List<CatalogueItem> versions(TenantId tenant, CatalogueItem.Kind kind, String itemId);

  /** The latest version of every item of a kind in the tenant, ordered by item id. */
  List<CatalogueItem> latestOfEach(TenantId tenant, CatalogueItem.Kind kind);
}
