package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.Referral;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.economy.SettingsVersionConflictException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.spi.EconomyStore;
import dev.billingsdk.spi.EconomyStore.RecordedReferral;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of the credit economy part of the storage SPI ({@link EconomyStore}): settings versions
 * read back exactly, are only added one after the latest, and two writers of one version leave one
 * winner; a referred account is recorded once; a referrer's rewarded referrals in a month never
 * exceed the cap, also when referrals race through two instances of the store. An adapter extends
 * it and supplies {@link #store()} (and, for stores shared between processes, {@link
 * #secondInstance()}); every test uses a fresh tenant, so the store may be shared.
 */
public abstract class EconomyStoreTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected EconomyStoreTck() {}

  /** The store under test. May be shared across tests: each test uses a fresh tenant. */
  protected abstract EconomyStore store();

  /**
   * A second instance on the same storage, as a second process would have: the race rules write
   * through both. The default is the same instance.
   */
  protected EconomyStore secondInstance() {
    return store();
  }

  /** Writers racing (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Actor FINANCE = Actor.of("finance-lead", Role.FINANCE, Role.ADMIN);
  static final Instant T0 = Instant.parse("2026-01-31T23:59:59.123456Z");
  static final YearMonth JAN = YearMonth.of(2026, 1);

  private TenantId tenant = TenantId.of("x");

  @BeforeEach
  void freshTenant() {
    tenant = TenantId.of("eco-" + UUID.randomUUID());
  }

  /** Settings whose every field differs from the defaults, varied by {@code n}. */
  static EconomySettings settings(int n) {
    return EconomySettings.builder(
            CreditPrice.of(Amount.of(CREDIT, 100 + n), Amount.ofMinor(USD, 101 + n)))
        .signUpCredits(Amount.ofMinor(CREDIT, 5_025 + n))
        .referralCredits(Amount.of(CREDIT, 250 + n))
        .maxReferralsPerMonth(n % 7)
        .creditsPerHour(Amount.ofMinor(CREDIT, 1 + n))
        .refreshInterval(n % 2 == 0 ? Duration.ofMinutes(15) : Duration.ofHours(6))
        .lowBalanceThreshold(Amount.of(CREDIT, 1_000_000 + n))
        .agentRevenueShare(Percentage.of("12.3456"))
        .partnerRevenueShare(Percentage.of(100 - n % 100))
        .dryRunMonthlyReset(true)
        .dryRunPartnerPayouts(n % 2 == 0)
        .subscriptionsEnabled(true)
        .calendarZone(
            ZoneId.of(
                List.of("Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham", "Europe/Paris")
                    .get(n % 4)))
        .build();
  }

  SettingsVersion version(int version, EconomySettings s, String reason) {
    return new SettingsVersion(tenant, version, s, FINANCE, T0.plusSeconds(version), reason);
  }

  Referral referral(String referrer, String referred, Instant at, boolean rewarded) {
    return new Referral(
        tenant,
        AccountId.of(referrer),
        AccountId.of(referred),
        at,
        YearMonth.from(at.atZone(ZoneId.of("UTC"))),
        rewarded ? Optional.of(Amount.ofMinor(CREDIT, 25_001)) : Optional.empty(),
        3);
  }

  @Nested
  @DisplayName("Settings: read back exactly, only the next version added, one winner of a race")
  class Settings {

    @Test
    void required_settingsVersionsReadBackExactlyAsAdded() {
      List<SettingsVersion> added = new ArrayList<>();
      List<String> reasons =
          List.of("Preis pro Credit erhöht 🚀", "سياسة الإحالة", "two  spaces  inside ", "x");
      for (int i = 1; i <= 4; i++) {
        SettingsVersion v = version(i, settings(i), reasons.get(i - 1));
        store().addSettings(v);
        added.add(v);
      }
      for (SettingsVersion v : added) {
        assertThat(store().settings(tenant, v.version())).contains(v);
      }
      assertThat(store().settingsHistory(tenant)).containsExactlyElementsOf(added);
      assertThat(store().latestSettings(tenant)).contains(added.get(3));
      assertThat(secondInstance().latestSettings(tenant)).contains(added.get(3));
      assertThat(store().settings(tenant, 0)).isEmpty();
      assertThat(store().settings(tenant, 5)).isEmpty();
    }

    @Test
    void required_aTakenOrSkippedVersionIsRefusedAndNothingChanges() {
      SettingsVersion v1 = version(1, settings(1), "first");
      assertThatThrownBy(() -> store().addSettings(version(2, settings(2), "skips 1")))
          .isInstanceOfSatisfying(
              SettingsVersionConflictException.class, e -> assertThat(e.actualVersion()).isZero());
      assertThat(store().settingsHistory(tenant)).isEmpty();
      store().addSettings(v1);
      assertThatThrownBy(() -> store().addSettings(version(1, settings(9), "taken")))
          .isInstanceOfSatisfying(
              SettingsVersionConflictException.class,
              e -> assertThat(e.actualVersion()).isEqualTo(1));
      assertThatThrownBy(() -> store().addSettings(version(3, settings(3), "skips 2")))
          .isInstanceOf(SettingsVersionConflictException.class);
      assertThat(store().settingsHistory(tenant)).containsExactly(v1);
    }

    @Test
    void required_writersRacingForOneVersionLeaveExactlyOneWinner() {
      int threads = Math.max(2, concurrentThreads());
      store().addSettings(version(1, settings(1), "first"));
      for (int round = 2; round < 6; round++) {
        int next = round;
        List<Boolean> won =
            Races.race(
                threads,
                i -> {
                  EconomyStore through = i % 2 == 0 ? store() : secondInstance();
                  SettingsVersion mine = version(next, settings(10 * next + i), "writer " + i);
                  return () -> {
                    try {
                      through.addSettings(mine);
                      return true;
                    } catch (SettingsVersionConflictException e) {
                      return false;
                    }
                  };
                });
        assertThat(won.stream().filter(w -> w)).as("winners of version " + next).hasSize(1);
        assertThat(store().settingsHistory(tenant)).hasSize(next);
        assertThat(secondInstance().settingsHistory(tenant))
            .isEqualTo(store().settingsHistory(tenant));
      }
    }

    @Test
    void required_tenantsAreKeptApart() {
      TenantId upper = TenantId.of(tenant.value().toUpperCase(Locale.ROOT));
      store().addSettings(version(1, settings(1), "lower"));
      store().addSettings(new SettingsVersion(upper, 1, settings(2), FINANCE, T0, "upper"));
      assertThat(store().latestSettings(tenant).orElseThrow().settings()).isEqualTo(settings(1));
      assertThat(store().latestSettings(upper).orElseThrow().settings()).isEqualTo(settings(2));
      store().recordReferral(referral("agent", "user-1", T0, true), -1);
      assertThat(store().referralOf(upper, AccountId.of("user-1"))).isEmpty();
      assertThat(store().referralsBy(upper, AccountId.of("agent"))).isEmpty();
      assertThat(
              store()
                  .recordReferral(
                      new Referral(
                          upper,
                          AccountId.of("agent"),
                          AccountId.of("user-1"),
                          T0,
                          JAN,
                          Optional.of(Amount.of(CREDIT, 1)),
                          1),
                      1)
                  .created())
          .isTrue();
    }
  }

  @Nested
  @DisplayName("Referrals: recorded once per referred account, rewarded at most the cap a month")
  class Referrals {

    @Test
    void required_aReferralReadsBackExactlyAndIsFoundByItsExactAccounts() {
      Referral a = referral("agent", "user-b", T0.plusSeconds(2), true);
      Referral b = referral("agent", "user-a", T0.plusSeconds(2), false);
      Referral c = referral("agent", "user-c", T0.minusSeconds(1), true);
      Referral other = referral("Agent", "user-d", T0, true);
      for (Referral r : List.of(a, b, c, other)) {
        RecordedReferral rec = store().recordReferral(r, -1);
        assertThat(rec.created()).isTrue();
        assertThat(rec.referral()).isEqualTo(r);
      }
      assertThat(store().referralOf(tenant, AccountId.of("user-b"))).contains(a);
      assertThat(secondInstance().referralOf(tenant, AccountId.of("user-a"))).contains(b);
      assertThat(store().referralOf(tenant, AccountId.of("USER-B"))).isEmpty();
      assertThat(store().referralOf(tenant, AccountId.of("user"))).isEmpty();
      // Ordered by time, then by referred account; the referrer's case counts.
      assertThat(store().referralsBy(tenant, AccountId.of("agent"))).containsExactly(c, b, a);
      assertThat(store().referralsBy(tenant, AccountId.of("Agent"))).containsExactly(other);
      assertThat(store().referralsBy(tenant, AccountId.of("AGENT"))).isEmpty();
    }

    @Test
    void required_aReferredAccountIsRecordedOnce() {
      Referral first = referral("agent-1", "user", T0, true);
      store().recordReferral(first, 5);
      RecordedReferral again = store().recordReferral(referral("agent-2", "user", T0, true), 5);
      assertThat(again.created()).isFalse();
      assertThat(again.referral()).isEqualTo(first);
      assertThat(store().referralsBy(tenant, AccountId.of("agent-2"))).isEmpty();
      assertThat(store().referralsBy(tenant, AccountId.of("agent-1"))).containsExactly(first);
    }

    @Test
    void required_theCapCountsRewardedReferralsPerReferrerAndMonth() {
      Instant feb = Instant.parse("2026-02-01T00:00:00Z");
      // Cap 2: two rewarded, the third not; an unrewarded proposal does not use the cap.
      assertThat(store().recordReferral(referral("a", "u0", T0, false), 2).referral().rewarded())
          .isFalse();
      assertThat(store().recordReferral(referral("a", "u1", T0, true), 2).referral().rewarded())
          .isTrue();
      assertThat(store().recordReferral(referral("a", "u2", T0, true), 2).referral().rewarded())
          .isTrue();
      RecordedReferral third = store().recordReferral(referral("a", "u3", T0, true), 2);
      assertThat(third.created()).isTrue();
      assertThat(third.referral()).isEqualTo(referral("a", "u3", T0, true).unrewarded());
      // Another month and another referrer have their own count.
      assertThat(store().recordReferral(referral("a", "u4", feb, true), 2).referral().rewarded())
          .isTrue();
      assertThat(store().recordReferral(referral("b", "u5", T0, true), 2).referral().rewarded())
          .isTrue();
      // -1 never caps; 0 never rewards.
      for (int i = 0; i < 5; i++) {
        assertThat(
                store()
                    .recordReferral(referral("c", "unlimited-" + i, T0, true), -1)
                    .referral()
                    .rewarded())
            .isTrue();
      }
      assertThat(store().recordReferral(referral("d", "u6", T0, true), 0).referral().rewarded())
          .isFalse();
      assertThat(store().referralOf(tenant, AccountId.of("u3")).orElseThrow().rewarded()).isFalse();
    }

    @Test
    void required_referralsRacingAtTheCapNeverExceedIt() {
      int threads = Math.max(2, concurrentThreads());
      int cap = 3;
      for (int round = 0; round < 3; round++) {
        String referrer = "agent-" + round;
        List<Boolean> rewarded =
            Races.race(
                threads,
                i -> {
                  EconomyStore through = i % 2 == 0 ? store() : secondInstance();
                  Referral mine = referral(referrer, referrer + "-user-" + i, T0, true);
                  return () -> through.recordReferral(mine, cap).referral().rewarded();
                });
        assertThat(rewarded.stream().filter(r -> r)).as("rewarded in round " + round).hasSize(cap);
        assertThat(store().referralsBy(tenant, AccountId.of(referrer)))
            .hasSize(threads)
            .filteredOn(Referral::rewarded)
            .hasSize(cap);
      }
      // Many referrers of one referred account at once: one record.
      List<Boolean> created =
          Races.race(
              threads,
              i -> {
                EconomyStore through = i % 2 == 0 ? store() : secondInstance();
                Referral mine = referral("rival-" + i, "contested", T0, true);
                return () -> through.recordReferral(mine, -1).created();
              });
      assertThat(created.stream().filter(c -> c)).hasSize(1);
      Referral stored = store().referralOf(tenant, AccountId.of("contested")).orElseThrow();
      for (int i = 0; i < threads; i++) {
        assertThat(store().referralsBy(tenant, AccountId.of("rival-" + i)))
            .hasSize(stored.referrer().value().equals("rival-" + i) ? 1 : 0);
      }
    }
  }
}
