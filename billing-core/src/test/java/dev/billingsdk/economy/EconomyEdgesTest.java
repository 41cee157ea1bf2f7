package dev.billingsdk.economy;

import static dev.billingsdk.economy.EconomyWorld.ACME;
import static dev.billingsdk.economy.EconomyWorld.ADMIN;
import static dev.billingsdk.economy.EconomyWorld.SIGNUPS;
import static dev.billingsdk.economy.EconomyWorld.USER;
import static dev.billingsdk.economy.EconomyWorld.credits;
import static dev.billingsdk.economy.EconomyWorld.hundredForADollar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The economy's values and service refuse what cannot be, by name. */
class EconomyEdgesTest {
  static final Instant T0 = Instant.parse("2026-05-10T00:00:00Z");

  static void refused(ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void values_refuse_what_cannot_be() {
    AccountId a = AccountId.of("a");
    refused(() -> ReferralRequest.of(ACME, a, a, T0, SIGNUPS), "referred");
    refused(
        () -> new Referral(ACME, a, a, T0, YearMonth.of(2026, 5), Optional.empty(), 1), "referred");
    refused(
        () ->
            new Referral(
                ACME, a, AccountId.of("b"), T0, YearMonth.of(2026, 5), Optional.of(credits(0)), 1),
        "reward");
    refused(
        () ->
            new Referral(
                ACME, a, AccountId.of("b"), T0, YearMonth.of(2026, 5), Optional.empty(), 0),
        "settingsVersion");
    refused(
        () ->
            SettingsUpdate.of(
                ACME, -1, EconomySettings.builder(hundredForADollar()).build(), ADMIN, "x"),
        "basedOn");
    refused(
        () ->
            new SettingsVersion(
                ACME, 0, EconomySettings.builder(hundredForADollar()).build(), ADMIN, T0, "x"),
        "version");
    refused(
        () -> AllowanceResetRequest.builder(ACME, YearMonth.of(2026, 5)).actor(ADMIN).build(),
        "allowances");
    refused(
        () -> AllowanceResetRequest.builder(ACME, YearMonth.of(2026, 5)).allowance(a, credits(0)),
        "allowance");
    refused(
        () ->
            AllowanceResetRequest.builder(ACME, YearMonth.of(2026, 5))
                .allowance(a, credits(1))
                .build(),
        "actor");
    AllowanceResetRequest r =
        AllowanceResetRequest.builder(ACME, YearMonth.of(2026, 5))
            .allowance(a, credits(1))
            .actor(ADMIN)
            .build();
    assertThat(r.toString()).contains("partners=1").contains("dryRun=(settings)");
    assertThat(r.dryRun()).isEmpty();
    assertThat(CreditPrice.of(credits(100), Amount.of(EconomyWorld.USD, 1)).toString())
        .isEqualTo("CREDIT 100 = USD 1.00");
    assertThat(new EconomySettings.FieldChange("f", "a", "b").field()).isEqualTo("f");
    assertThat(
            SettingsChange.of(
                    new SettingsVersion(
                        ACME,
                        1,
                        EconomySettings.builder(hundredForADollar()).build(),
                        ADMIN,
                        T0,
                        "x"),
                    Optional.empty())
                .after()
                .signUpCredits())
        .isEqualTo(credits(0));
  }

  @Test
  void the_service_refuses_accounts_in_another_unit_and_reads_versions() {
    EconomyWorld w = new EconomyWorld(T0);
    w.save(
        0,
        EconomySettings.builder(hundredForADollar())
            .signUpCredits(credits(5))
            .referralCredits(credits(5))
            .build(),
        "on");
    w.billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, AccountId.of("tok"), CreditUnit.of("TOKEN", 0))
                .actor(ADMIN)
                .build());
    w.open("agent");
    refused(() -> w.economy().awardSignUpCredits(ACME, AccountId.of("tok"), SIGNUPS), "account");
    refused(
        () ->
            w.economy()
                .recordReferral(
                    ReferralRequest.of(
                        ACME, AccountId.of("tok"), AccountId.of("agent"), T0, SIGNUPS)),
        "account");
    assertThat(w.economy().settings(ACME, 1)).isPresent();
    assertThat(w.economy().settings(ACME, 2)).isEmpty();
    assertThat(w.economy().settings(TenantId.of("other"))).isEmpty();
    assertThat(w.economy().referralOf(ACME, AccountId.of("agent"))).isEmpty();
    assertThat(w.economy().history(TenantId.of("other"))).isEmpty();
    assertThatThrownBy(
            () ->
                w.economy()
                    .resetPartnerAllowances(
                        AllowanceResetRequest.builder(ACME, YearMonth.of(2026, 5))
                            .allowance(AccountId.of("agent"), credits(1))
                            .actor(USER)
                            .build()))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(
            () ->
                w.economy()
                    .recordReferral(
                        ReferralRequest.of(
                            ACME, AccountId.of("agent"), AccountId.of("tok"), T0, USER)))
        .isInstanceOf(AccessDeniedException.class);
  }
}
