package dev.billingsdk.memory;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.economy.Referral;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.economy.SettingsVersionConflictException;
import dev.billingsdk.spi.EconomyStore;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link EconomyStore} in memory: for tests, examples and single-process hosts. */
public final class InMemoryEconomyStore implements EconomyStore {

  /** One tenant's state; every access holds its monitor. */
  private static final class Tenant {
    final List<SettingsVersion> versions = new ArrayList<>();
    final Map<AccountId, Referral> referrals = new HashMap<>();
    final Map<String, Integer> rewarded = new HashMap<>();
  }

  private final Map<TenantId, Tenant> tenants = new ConcurrentHashMap<>();

  private InMemoryEconomyStore() {}

  public static InMemoryEconomyStore create() {
    return new InMemoryEconomyStore();
  }

  private Tenant of(TenantId tenant) {
    return tenants.computeIfAbsent(tenant, t -> new Tenant());
  }

  @Override
  public void addSettings(SettingsVersion version) {
    Tenant t = of(version.tenant());
    synchronized (t) {
      int latest = t.versions.size();
      if (version.version() != latest + 1) {
        throw new SettingsVersionConflictException(version.tenant(), version.version() - 1, latest);
      }
      t.versions.add(version);
    }
  }

  @Override
  public Optional<SettingsVersion> latestSettings(TenantId tenant) {
    Tenant t = of(tenant);
    synchronized (t) {
      return t.versions.isEmpty()
          ? Optional.empty()
          : Optional.of(t.versions.get(t.versions.size() - 1));
    }
  }

  @Override
  public Optional<SettingsVersion> settings(TenantId tenant, int version) {
    Tenant t = of(tenant);
    synchronized (t) {
      return version >= 1 && version <= t.versions.size()
          ? Optional.of(t.versions.get(version - 1))
          : Optional.empty();
    }
  }

  @Override
  public List<SettingsVersion> settingsHistory(TenantId tenant) {
    Tenant t = of(tenant);
    synchronized (t) {
      return List.copyOf(t.versions);
    }
  }

  private static String counter(AccountId referrer, YearMonth month) {
    return referrer.value() + "\n" + month;
  }

  @Override
  public RecordedReferral recordReferral(Referral referral, int monthlyCap) {
    Tenant t = of(referral.tenant());
    synchronized (t) {
      Referral earlier = t.referrals.get(referral.referred());
      if (earlier != null) {
        return new RecordedReferral(earlier, false);
      }
      Referral stored = referral;
      if (referral.rewarded()) {
        String key = counter(referral.referrer(), referral.month());
        int count = t.rewarded.getOrDefault(key, 0);
        if (monthlyCap >= 0 && count >= monthlyCap) {
          stored = referral.unrewarded();
        } else {
          t.rewarded.put(key, count + 1);
        }
      }
      t.referrals.put(stored.referred(), stored);
      return new RecordedReferral(stored, true);
    }
  }

  @Override
  public Optional<Referral> referralOf(TenantId tenant, AccountId referred) {
    Tenant t = of(tenant);
    synchronized (t) {
      return Optional.ofNullable(t.referrals.get(referred));
    }
  }

  @Override
  public List<Referral> referralsBy(TenantId tenant, AccountId referrer) {
    Tenant t = of(tenant);
    synchronized (t) {
      return t.referrals.values().stream()
          .filter(r -> r.referrer().equals(referrer))
          .sorted(Comparator.comparing(Referral::at).thenComparing(r -> r.referred().value()))
          .toList();
    }
  }
}
