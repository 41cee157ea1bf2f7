package dev.billingsdk.internal.economy;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.economy.AllowanceReset;
import dev.billingsdk.economy.AllowanceResetRequest;
import dev.billingsdk.economy.CreditEconomy;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.Referral;
import dev.billingsdk.economy.ReferralOutcome;
import dev.billingsdk.economy.ReferralRequest;
import dev.billingsdk.economy.SettingsChange;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.economy.SettingsVersionConflictException;
import dev.billingsdk.economy.SignUpOutcome;
import dev.billingsdk.internal.credit.CreditService;
import dev.billingsdk.internal.credit.SweepService;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.EconomyStore;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The credit economy. Sign-up and referral grants go through the credit service under keys derived
 * from what they reward ({@code billing:sign-up:<account>}, {@code billing:referral:<referred>}),
 * so a call repeated after a crash finishes the grant instead of granting twice.
 */
public final class EconomyService implements CreditEconomy {
  /** The metadata key naming the settings version a grant was decided under. */
  public static final String SETTINGS_VERSION = "economy.settingsVersion";

  private final EconomyStore economy;
  private final BillingStore store;
  private final CreditService credits;
  private final Clock clock;
  private final AccessPolicy access;
  private final AllowanceResets resets;

  public EconomyService(
      EconomyStore economy,
      BillingStore store,
      CreditService credits,
      SweepService sweeps,
      Clock clock,
      AccessPolicy access) {
    this.economy = economy;
    this.store = store;
    this.credits = credits;
    this.clock = clock;
    this.access = access;
    this.resets = new AllowanceResets(store, credits, sweeps, clock);
  }

  @Override
  public SettingsVersion saveSettings(SettingsUpdate update) {
    InvalidRequestException.requireNonNull(update, "update");
    access.check(update.actor(), Operation.CONFIGURE_ECONOMY, update.tenant());
    int latest = economy.latestSettings(update.tenant()).map(SettingsVersion::version).orElse(0);
    if (latest != update.basedOn()) {
      throw new SettingsVersionConflictException(update.tenant(), update.basedOn(), latest);
    }
    SettingsVersion version =
        new SettingsVersion(
            update.tenant(),
            update.basedOn() + 1,
            update.settings(),
            update.actor(),
            clock.instant(),
            update.reason());
    economy.addSettings(version);
    return version;
  }

  @Override
  public Optional<SettingsVersion> settings(TenantId tenant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return economy.latestSettings(tenant);
  }

  @Override
  public Optional<SettingsVersion> settings(TenantId tenant, int version) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return economy.settings(tenant, version);
  }

  @Override
  public List<SettingsChange> history(TenantId tenant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    List<SettingsVersion> versions = economy.settingsHistory(tenant);
    List<SettingsChange> out = new ArrayList<>(versions.size());
    for (int i = 0; i < versions.size(); i++) {
      out.add(
          SettingsChange.of(
              versions.get(i), i == 0 ? Optional.empty() : Optional.of(versions.get(i - 1))));
    }
    return List.copyOf(out);
  }

  /** The tenant's current settings, or a refusal naming {@code settings}. */
  SettingsVersion required(TenantId tenant) {
    return economy
        .latestSettings(tenant)
        .orElseThrow(
            () ->
                new InvalidRequestException(
                    "settings",
                    "(none)",
                    "no credit economy settings are saved for tenant " + tenant));
  }

  static Account account(BillingStore store, TenantId tenant, AccountId id, SettingsVersion s) {
    Account account =
        store.findAccount(tenant, id).orElseThrow(() -> new AccountNotFoundException(tenant, id));
    if (!account.unit().equals(s.settings().creditUnit())) {
      throw new InvalidRequestException(
          "account",
          id,
          "holds "
              + account.unit()
              + ", not "
              + s.settings().creditUnit()
              + ", the unit of the credit economy settings");
    }
    return account;
  }

  static IdempotencyKey signUpKey(AccountId account) {
    return IdempotencyKey.of("billing:sign-up:" + account.value());
  }

  static IdempotencyKey referralKey(AccountId referred) {
    return IdempotencyKey.of("billing:referral:" + referred.value());
  }

  @Override
  public SignUpOutcome awardSignUpCredits(TenantId tenant, AccountId account, Actor actor) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(actor, "actor");
    access.check(actor, Operation.AWARD_PROGRAM_CREDITS, tenant);
    // Decide: the settings now, the account, and whether it was awarded before.
    SettingsVersion s = required(tenant);
    account(store, tenant, account, s);
    IdempotencyKey key = signUpKey(account);
    Optional<LedgerTransaction> prior = store.findTransaction(tenant, key);
    if (prior.isPresent()) {
      return new SignUpOutcome.AlreadyAwarded(prior.get().id());
    }
    Amount credits = s.settings().signUpCredits();
    if (credits.isZero()) {
      return new SignUpOutcome.NothingToAward(s.version());
    }
    // Write: one grant under the account's sign-up key.
    GrantRequest grant =
        GrantRequest.builder(tenant, account, credits)
            .category(GrantCategory.SIGN_UP)
            .name("Sign-up credits")
            .metadata(Map.of(SETTINGS_VERSION, Integer.toString(s.version())))
            .idempotencyKey(key)
            .actor(actor)
            .reason("sign-up credits")
            .build();
    Optional<GrantResult> made = grantOnce(grant);
    if (made.isEmpty() || made.get().replayed()) {
      return new SignUpOutcome.AlreadyAwarded(
          store.findTransaction(tenant, key).orElseThrow().id());
    }
    return new SignUpOutcome.Awarded(made.get().grant().id(), credits, s.version());
  }

  /** The grant, or empty when its key was used first by another request (another actor). */
  private Optional<GrantResult> grantOnce(GrantRequest grant) {
    try {
      return Optional.of(credits.grantAuthorised(grant));
    } catch (IdempotencyConflictException e) {
      return Optional.empty();
    }
  }

  @Override
  public ReferralOutcome recordReferral(ReferralRequest request) {
    InvalidRequestException.requireNonNull(request, "request");
    TenantId tenant = request.tenant();
    access.check(request.actor(), Operation.AWARD_PROGRAM_CREDITS, tenant);
    // Decide: the settings now, both accounts, the referrer's calendar month.
    Instant now = clock.instant();
    if (request.at().isAfter(now)) {
      throw new InvalidRequestException("at", request.at(), "must not be after now (" + now + ")");
    }
    SettingsVersion s = required(tenant);
    EconomySettings settings = s.settings();
    account(store, tenant, request.referrer(), s);
    if (store.findAccount(tenant, request.referred()).isEmpty()) {
      throw new AccountNotFoundException(tenant, request.referred());
    }
    Amount reward = settings.referralCredits();
    Referral proposed =
        new Referral(
            tenant,
            request.referrer(),
            request.referred(),
            request.at(),
            YearMonth.from(request.at().atZone(settings.calendarZone())),
            reward.isPositive() ? Optional.of(reward) : Optional.empty(),
            s.version());
    // Write: the store records it once and applies the cap atomically; then the reward's grant,
    // which a repeated call (after a crash) finishes under the same key.
    EconomyStore.RecordedReferral recorded =
        economy.recordReferral(proposed, settings.maxReferralsPerMonth());
    Referral stored = recorded.referral();
    Optional<GrantId> grant =
        stored.rewarded() ? Optional.of(rewardGrant(stored, request.actor())) : Optional.empty();
    if (!recorded.created()) {
      return new ReferralOutcome.AlreadyRecorded(stored);
    }
    if (grant.isPresent()) {
      return new ReferralOutcome.Rewarded(stored, grant.get());
    }
    return new ReferralOutcome.NotRewarded(
        stored,
        proposed.rewarded()
            ? ReferralOutcome.Reason.MONTHLY_CAP_REACHED
            : ReferralOutcome.Reason.NO_REFERRAL_CREDITS);
  }

  private GrantId rewardGrant(Referral r, Actor actor) {
    IdempotencyKey key = referralKey(r.referred());
    Optional<LedgerTransaction> prior = store.findTransaction(r.tenant(), key);
    if (prior.isEmpty()) {
      GrantRequest grant =
          GrantRequest.builder(r.tenant(), r.referrer(), r.reward().orElseThrow())
              .category(GrantCategory.REFERRAL)
              .name("Referral of " + r.referred().value())
              .metadata(
                  Map.of(
                      SETTINGS_VERSION,
                      Integer.toString(r.settingsVersion()),
                      "referral.referred",
                      r.referred().value(),
                      "referral.month",
                      r.month().toString()))
              .idempotencyKey(key)
              .actor(actor)
              .reason("referral reward")
              .build();
      Optional<GrantResult> made = grantOnce(grant);
      if (made.isPresent()) {
        return made.get().grant().id();
      }
      prior = store.findTransaction(r.tenant(), key);
    }
    return CreditService.grantsMadeBy(prior.orElseThrow()).get(0);
  }

  @Override
  public Optional<Referral> referralOf(TenantId tenant, AccountId referred) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(referred, "referred");
    return economy.referralOf(tenant, referred);
  }

  @Override
  public List<Referral> referralsBy(TenantId tenant, AccountId referrer) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(referrer, "referrer");
    return economy.referralsBy(tenant, referrer);
  }

  @Override
  public AllowanceReset resetPartnerAllowances(AllowanceResetRequest request) {
    InvalidRequestException.requireNonNull(request, "request");
    access.check(request.actor(), Operation.RESET_ALLOWANCES, request.tenant());
    return resets.run(request, required(request.tenant()));
  }
}
