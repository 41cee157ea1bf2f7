package dev.billingsdk.memory;

import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.catalogue.CatalogueVersionConflictException;
import dev.billingsdk.spi.CatalogueStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link CatalogueStore} in memory: for tests, examples and single-process hosts. */
public final class InMemoryCatalogueStore implements CatalogueStore {

  private record Key(TenantId tenant, CatalogueItem.Kind kind) {}

  /** Per tenant and kind, the versions of each item by id, oldest first. */
  private final Map<Key, TreeMap<String, List<CatalogueItem>>> items = new ConcurrentHashMap<>();

  private InMemoryCatalogueStore() {}

  public static InMemoryCatalogueStore create() {
    return new InMemoryCatalogueStore();
  }

  private TreeMap<String, List<CatalogueItem>> of(TenantId tenant, CatalogueItem.Kind kind) {
    return items.computeIfAbsent(new Key(tenant, kind), k -> new TreeMap<>());
  }

  @Override
  public void addVersion(CatalogueItem item) {
    TreeMap<String, List<CatalogueItem>> byId = of(item.tenant(), item.kind());
    synchronized (byId) {
      List<CatalogueItem> versions = byId.computeIfAbsent(item.itemId(), id -> new ArrayList<>());
      int latest = versions.size();
      int adding = item.revision().version();
      if (adding != latest + 1) {
        if (versions.isEmpty()) {
          byId.remove(item.itemId());
        }
        throw new CatalogueVersionConflictException(item.itemId(), adding - 1, latest);
      }
      versions.add(item);
    }
  }

  @Override
  public Optional<CatalogueItem> latest(TenantId tenant, CatalogueItem.Kind kind, String itemId) {
    List<CatalogueItem> v = versions(tenant, kind, itemId);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
  }

  @Override
  public Optional<CatalogueItem> version(
      TenantId tenant, CatalogueItem.Kind kind, String itemId, int version) {
    List<CatalogueItem> v = versions(tenant, kind, itemId);
    return version >= 1 && version <= v.size() ? Optional.of(v.get(version - 1)) : Optional.empty();
  }

  @Override
  public List<CatalogueItem> versions(TenantId tenant, CatalogueItem.Kind kind, String itemId) {
    TreeMap<String, List<CatalogueItem>> byId = of(tenant, kind);
    synchronized (byId) {
      List<CatalogueItem> v = byId.get(itemId);
      return v == null ? List.of() : List.copyOf(v);
    }
  }

  @Override
  public List<CatalogueItem> latestOfEach(TenantId tenant, CatalogueItem.Kind kind) {
    TreeMap<String, List<CatalogueItem>> byId = of(tenant, kind);
    synchronized (byId) {
      List<CatalogueItem> out = new ArrayList<>();
      for (List<CatalogueItem> v : byId.values()) {
        out.add(v.get(v.size() - 1));
      }
      return out;
    }
  }
}
