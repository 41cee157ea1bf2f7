package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.economy.AllowanceReset;
import dev.billingsdk.economy.AllowanceResetRequest;
import dev.billingsdk.economy.CreditEconomy;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.ReferralOutcome;
import dev.billingsdk.economy.ReferralRequest;
import dev.billingsdk.economy.ResetMovement;
import dev.billingsdk.economy.SettingsChange;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.economy.SignUpOutcome;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.setup.Billing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code of docs/credit-economy.md, run. */
class EconomySnippetsTest {

  @Test
  void settingsSignUpReferralsAndTheReset() {
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T00:05:00Z"), ZoneOffset.UTC);
    // tag::setup[]
    Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create()) // or a JdbcBillingStore
            .economy(InMemoryEconomyStore.create()) // or JdbcEconomyStore.create(ds, prefix)
            .clock(clock)
            .build();
    CreditEconomy economy = billing.economy();
    TenantId tenant = TenantId.of("acme-ai");
    Actor fiona = Actor.of("fiona", Role.FINANCE);
    CreditUnit credit = CreditUnit.of("CREDIT", 0);
    CurrencyUnit usd = CurrencyUnit.of("USD");
    // end::setup[]

    // tag::settings[]
    EconomySettings launch =
        EconomySettings.builder(CreditPrice.of(Amount.of(credit, 100), Amount.of(usd, 1)))
            .signUpCredits(Amount.of(credit, 500))
            .referralCredits(Amount.of(credit, 200))
            .maxReferralsPerMonth(5) // -1: no cap
            .creditsPerHour(Amount.of(credit, 12))
            .refreshInterval(Duration.ofHours(1)) // must divide a day
            .lowBalanceThreshold(Amount.of(credit, 1_000))
            .agentRevenueShare(Percentage.of("10"))
            .partnerRevenueShare(Percentage.of("30"))
            .dryRunMonthlyReset(true) // finance checks the first reset before it posts
            .build();
    SettingsVersion v1 =
        economy.saveSettings(SettingsUpdate.of(tenant, 0, launch, fiona, "launch settings"));

    // A change starts from the saved settings and is based on their version.
    EconomySettings spring =
        EconomySettings.builder(v1.settings()).signUpCredits(Amount.of(credit, 750)).build();
    economy.saveSettings(SettingsUpdate.of(tenant, v1.version(), spring, fiona, "spring offer"));

    List<SettingsChange> audit = economy.history(tenant);
    // audit.get(1).changes(): signUpCredits CREDIT 500 -> CREDIT 750, by fiona, at ..., "spring
    // offer"
    // end::settings[]
    assertThat(audit.get(1).changes()).hasSize(1);

    Actor signUps = Actor.system("sign-up-flow");
    for (String id : List.of("agent-kim", "new-user", "partner-pat")) {
      billing
          .credits()
          .openAccount(
              OpenAccountRequest.builder(tenant, AccountId.of(id), credit).actor(fiona).build());
    }
    // tag::signup[]
    SignUpOutcome signUp = economy.awardSignUpCredits(tenant, AccountId.of("new-user"), signUps);
    // Awarded(grant, CREDIT 750, settingsVersion 2); a second call: AlreadyAwarded

    ReferralOutcome referral =
        economy.recordReferral(
            ReferralRequest.of(
                tenant,
                AccountId.of("agent-kim"),
                AccountId.of("new-user"),
                clock.instant(),
                signUps));
    // Rewarded(referral, grant) | NotRewarded(referral, MONTHLY_CAP_REACHED) | AlreadyRecorded
    // end::signup[]
    assertThat(signUp).isInstanceOf(SignUpOutcome.Awarded.class);
    assertThat(referral).isInstanceOf(ReferralOutcome.Rewarded.class);

    // tag::reset[]
    AllowanceResetRequest march =
        AllowanceResetRequest.builder(tenant, YearMonth.of(2026, 3))
            .allowance(AccountId.of("partner-pat"), Amount.of(credit, 5_000))
            .actor(Actor.system("month-start-job"))
            .build();
    AllowanceReset preview = economy.resetPartnerAllowances(march);
    // preview.dryRun() is true (the settings' switch): its movements say what would be posted
    for (ResetMovement m : preview.movements()) {
      System.out.printf("%s %s %s %s%n", m.account(), m.kind(), m.amount(), m.state());
    }
    // end::reset[]
    assertThat(preview.dryRun()).isTrue();
    assertThat(preview.movements()).hasSize(1);
  }
}
