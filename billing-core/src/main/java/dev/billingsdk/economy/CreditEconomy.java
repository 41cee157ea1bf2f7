package dev.billingsdk.economy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.TenantId;
import java.util.List;
import java.util.Optional;

/**
 * The tenant's credit economy: its settings, versioned and audited; sign-up and referral credits;
 * the monthly partner allowance reset. Obtain from {@code Billing}. See {@code
 * docs/credit-economy.md}.
 */
public interface CreditEconomy {

  /**
   * Saves the tenant's settings as the version after {@code update.basedOn()}. They apply from now:
   * every later decision reads them, and what it grants names the version.
   *
   * @throws SettingsVersionConflictException if the latest version is not {@code basedOn}; nothing
   *     is written
   * @throws dev.billingsdk.AccessDeniedException unless the actor may {@code CONFIGURE_ECONOMY}
   */
  SettingsVersion saveSettings(SettingsUpdate update);

  /** The tenant's current settings, if any were saved. */
  Optional<SettingsVersion> settings(TenantId tenant);

  /** One version of the tenant's settings. */
  Optional<SettingsVersion> settings(TenantId tenant, int version);

  /** The audit trail of the settings, oldest first: who changed what, when, before and after. */
  List<SettingsChange> history(TenantId tenant);

  /**
   * Grants the account the tenant's sign-up credits ({@code SIGN_UP}, priority and terms of a
   * promotional grant), once per account, ever: a second call, whatever the settings say by then,
   * is {@link SignUpOutcome.AlreadyAwarded}.
   *
   * @throws dev.billingsdk.InvalidRequestException (field {@code settings}) if the tenant has no
   *     settings
   * @throws dev.billingsdk.credit.AccountNotFoundException if the account is not open
   */
  SignUpOutcome awardSignUpCredits(TenantId tenant, AccountId account, Actor actor);

  /**
   * Records a referral and rewards the referrer with the referral credits, unless the referrer's
   * rewarded referrals in the referral's calendar month reached the cap. A referred account is
   * recorded once; recording it again is {@link ReferralOutcome.AlreadyRecorded}.
   *
   * @throws dev.billingsdk.InvalidRequestException (field {@code at}) if the referral is in the
   *     future; (field {@code settings}) if the tenant has no settings
   * @throws dev.billingsdk.credit.AccountNotFoundException if either account is not open
   */
  ReferralOutcome recordReferral(ReferralRequest request);

  /** The referral of {@code referred}, if it was referred. */
  Optional<Referral> referralOf(TenantId tenant, AccountId referred);

  /** The referrals {@code referrer} made, oldest first. */
  List<Referral> referralsBy(TenantId tenant, AccountId referrer);

  /**
   * Resets the partners' allowances for the request's month: exactly once per (account, month),
   * resumable (a rerun posts what is missing and reports the rest as posted before), safe with two
   * instances running it. A dry run, asked for or forced by the settings, writes nothing and
   * returns every movement it would post.
   *
   * @throws dev.billingsdk.InvalidRequestException (field {@code month}) if the month has not
   *     started or has ended
   */
  AllowanceReset resetPartnerAllowances(AllowanceResetRequest request);
}
