package dev.billingsdk.memory;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.spi.TopUpStore;
import dev.billingsdk.topup.TopUpRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link TopUpStore} in memory: for tests, examples and single-process hosts. */
public final class InMemoryTopUpStore implements TopUpStore {
  private final Map<TenantId, TreeMap<String, TopUpRule>> tenants = new ConcurrentHashMap<>();

  private InMemoryTopUpStore() {}

  public static InMemoryTopUpStore create() {
    return new InMemoryTopUpStore();
  }

  private TreeMap<String, TopUpRule> of(TenantId tenant) {
    return tenants.computeIfAbsent(tenant, t -> new TreeMap<>());
  }

  @Override
  public boolean save(Optional<TopUpRule> current, TopUpRule next) {
    TreeMap<String, TopUpRule> rules = of(next.tenant());
    synchronized (rules) {
      TopUpRule stored = rules.get(next.account().value());
      boolean fits =
          current.isEmpty()
              ? stored == null
              : stored != null
                  && stored.version() == current.get().version()
                  && next.version() == stored.version() + 1;
      if (fits) {
        rules.put(next.account().value(), next);
      }
      return fits;
    }
  }

  @Override
  public Optional<TopUpRule> rule(TenantId tenant, AccountId account) {
    TreeMap<String, TopUpRule> rules = of(tenant);
    synchronized (rules) {
      return Optional.ofNullable(rules.get(account.value()));
    }
  }

  @Override
  public List<TopUpRule> rules(TenantId tenant) {
    TreeMap<String, TopUpRule> rules = of(tenant);
    synchronized (rules) {
      return List.copyOf(rules.values());
    }
  }
}
