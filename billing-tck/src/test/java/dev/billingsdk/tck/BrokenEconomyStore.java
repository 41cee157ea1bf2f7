package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.Referral;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.economy.SettingsVersionConflictException;
import dev.billingsdk.spi.EconomyStore;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An economy store written the way hand-made ones go wrong, one mistake at a time, for {@link
 * EconomyKitCatchesBrokenStoresTest}. With {@link Mistake#NONE} it is a correct store.
 */
final class BrokenEconomyStore implements EconomyStore {

  enum Mistake {
    NONE,
    /** An added settings version replaces a stored one of the same number ("upsert"). */
    OVERWRITES_SETTINGS,
    /** Checks the latest settings version, then adds, with nothing holding the two together. */
    CHECK_THEN_ADD,
    /** Loses the calendar zone on the way back (a column nobody mapped): UTC. */
    DROPS_ZONE,
    /** Records a referred account again, as a table without a unique key would. */
    REFERRED_TWICE,
    /** Counts the referrer's rewarded referrals over every month, not the referral's month. */
    CAP_IGNORES_MONTH,
    /** Counts rewarded referrals, then records, with nothing holding the two together. */
    CAP_CHECK_THEN_ACT,
    /** Looks referrals up by account without the tenant. */
    TENANTS_MIXED,
    /** Compares account ids as a case-blind collation does. */
    CASE_BLIND_IDS
  }

  private final Mistake mistake;
  private final Map<TenantId, List<SettingsVersion>> settings = new ConcurrentHashMap<>();
  private final List<Referral> referrals = new CopyOnWriteArrayList<>();

  BrokenEconomyStore(Mistake mistake) {
    this.mistake = mistake;
  }

  private List<SettingsVersion> of(TenantId tenant) {
    return settings.computeIfAbsent(tenant, t -> new CopyOnWriteArrayList<>());
  }

  @Override
  public void addSettings(SettingsVersion version) {
    List<SettingsVersion> versions = of(version.tenant());
    if (mistake == Mistake.CHECK_THEN_ADD) {
      int latest = versions.size();
      Thread.yield();
      sleep();
      if (version.version() != latest + 1) {
        throw new SettingsVersionConflictException(version.tenant(), version.version() - 1, latest);
      }
      versions.add(version);
      return;
    }
    synchronized (versions) {
      int latest = versions.size();
      if (mistake == Mistake.OVERWRITES_SETTINGS && version.version() <= latest) {
        versions.set(version.version() - 1, version);
        return;
      }
      if (version.version() != latest + 1) {
        throw new SettingsVersionConflictException(version.tenant(), version.version() - 1, latest);
      }
      versions.add(version);
    }
  }

  private SettingsVersion read(SettingsVersion v) {
    if (mistake != Mistake.DROPS_ZONE) {
      return v;
    }
    EconomySettings s = v.settings();
    return new SettingsVersion(
        v.tenant(),
        v.version(),
        new EconomySettings(
            s.creditPrice(),
            s.signUpCredits(),
            s.referralCredits(),
            s.maxReferralsPerMonth(),
            s.creditsPerHour(),
            s.refreshInterval(),
            s.lowBalanceThreshold(),
            s.agentRevenueShare(),
            s.partnerRevenueShare(),
            s.dryRunMonthlyReset(),
            s.dryRunPartnerPayouts(),
            s.subscriptionsEnabled(),
            ZoneOffset.UTC),
        v.actor(),
        v.at(),
        v.reason());
  }

  @Override
  public Optional<SettingsVersion> latestSettings(TenantId tenant) {
    List<SettingsVersion> v = of(tenant);
    return v.isEmpty() ? Optional.empty() : Optional.of(read(v.get(v.size() - 1)));
  }

  @Override
  public Optional<SettingsVersion> settings(TenantId tenant, int version) {
    List<SettingsVersion> v = of(tenant);
    return version >= 1 && version <= v.size()
        ? Optional.of(read(v.get(version - 1)))
        : Optional.empty();
  }

  @Override
  public List<SettingsVersion> settingsHistory(TenantId tenant) {
    return of(tenant).stream().map(this::read).toList();
  }

  private boolean same(AccountId a, AccountId b) {
    return mistake == Mistake.CASE_BLIND_IDS
        ? a.value().toLowerCase(Locale.ROOT).equals(b.value().toLowerCase(Locale.ROOT))
        : a.equals(b);
  }

  private boolean inTenant(Referral r, TenantId tenant) {
    return mistake == Mistake.TENANTS_MIXED || r.tenant().equals(tenant);
  }

  @Override
  public RecordedReferral recordReferral(Referral referral, int monthlyCap) {
    if (mistake == Mistake.CAP_CHECK_THEN_ACT) {
      return record(referral, monthlyCap, true);
    }
    synchronized (referrals) {
      return record(referral, monthlyCap, false);
    }
  }

  private RecordedReferral record(Referral referral, int monthlyCap, boolean slow) {
    if (mistake != Mistake.REFERRED_TWICE) {
      Optional<Referral> earlier = referralOf(referral.tenant(), referral.referred());
      if (earlier.isPresent()) {
        return new RecordedReferral(earlier.get(), false);
      }
    }
    long count =
        referrals.stream()
            .filter(r -> r.tenant().equals(referral.tenant()))
            .filter(r -> r.referrer().equals(referral.referrer()))
            .filter(r -> mistake == Mistake.CAP_IGNORES_MONTH || r.month().equals(referral.month()))
            .filter(Referral::rewarded)
            .count();
    if (slow) {
      sleep();
    }
    Referral stored =
        referral.rewarded() && monthlyCap >= 0 && count >= monthlyCap
            ? referral.unrewarded()
            : referral;
    referrals.add(stored);
    return new RecordedReferral(stored, true);
  }

  @Override
  public Optional<Referral> referralOf(TenantId tenant, AccountId referred) {
    return referrals.stream()
        .filter(r -> inTenant(r, tenant) && same(r.referred(), referred))
        .findFirst();
  }

  @Override
  public List<Referral> referralsBy(TenantId tenant, AccountId referrer) {
    List<Referral> out = new ArrayList<>();
    for (Referral r : referrals) {
      if (inTenant(r, tenant) && same(r.referrer(), referrer)) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparing(Referral::at).thenComparing(r -> r.referred().value()));
    return out;
  }

  private static void sleep() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
