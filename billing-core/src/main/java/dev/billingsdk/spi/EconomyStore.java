package dev.billingsdk.spi;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.economy.Referral;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.economy.SettingsVersionConflictException;
import java.util.List;
import java.util.Optional;

/**
 * Where the credit economy's settings versions and referrals live. The rules a store must keep are
 * {@code EconomyStoreTck}'s (billing-tck): versions read back exactly and are only added one after
 * the latest; a referred account is recorded once; a referrer's rewarded referrals in a month never
 * exceed the cap, also when referrals race through two instances.
 */
public interface EconomyStore {

  /**
   * Adds {@code version}, which must be one more than the latest stored version of its tenant (1
   * for the first). Atomic: of two callers adding the same version, exactly one succeeds.
   *
   * @throws SettingsVersionConflictException if that version exists or the one before does not;
   *     nothing is written
   */
  void addSettings(SettingsVersion version);

  Optional<SettingsVersion> latestSettings(TenantId tenant);

  Optional<SettingsVersion> settings(TenantId tenant, int version);

  /** Every version of the tenant's settings, oldest first. */
  List<SettingsVersion> settingsHistory(TenantId tenant);

  /**
   * Records {@code referral} unless its referred account was recorded before, atomically with the
   * cap: a referral proposed with a reward keeps it only if fewer than {@code monthlyCap} referrals
   * of the same referrer and month are stored rewarded ({@code monthlyCap} -1: no cap); otherwise
   * it is stored {@link Referral#unrewarded() unrewarded}.
   *
   * @return the stored referral, and whether this call stored it (false: it is the earlier record,
   *     and nothing was written)
   */
  RecordedReferral recordReferral(Referral referral, int monthlyCap);

  Optional<Referral> referralOf(TenantId tenant, AccountId referred);

  /** The referrals of {@code referrer}, ordered by time, then referred account. */
  List<Referral> referralsBy(TenantId tenant, AccountId referrer);

  /** What {@link #recordReferral} stored or found. */
  record RecordedReferral(Referral referral, boolean created) {}
}
