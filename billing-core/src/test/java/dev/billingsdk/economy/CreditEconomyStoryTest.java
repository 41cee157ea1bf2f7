package dev.billingsdk.economy;

import static dev.billingsdk.economy.EconomyWorld.ACME;
import static dev.billingsdk.economy.EconomyWorld.ADMIN;
import static dev.billingsdk.economy.EconomyWorld.FINANCE;
import static dev.billingsdk.economy.EconomyWorld.SIGNUPS;
import static dev.billingsdk.economy.EconomyWorld.USER;
import static dev.billingsdk.economy.EconomyWorld.credits;
import static dev.billingsdk.economy.EconomyWorld.hundredForADollar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.economy.EconomySettings.FieldChange;
import dev.billingsdk.economy.ReferralOutcome.AlreadyRecorded;
import dev.billingsdk.economy.ReferralOutcome.NotRewarded;
import dev.billingsdk.economy.ReferralOutcome.Reason;
import dev.billingsdk.economy.ReferralOutcome.Rewarded;
import dev.billingsdk.money.Percentage;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The finance guide's Credit Settings tab, told as stories on a story clock: settings saved as
 * audited versions, sign-up credits once per account, referrals capped per calendar month.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CreditEconomyStoryTest {
  static final Instant JAN_10 = Instant.parse("2026-01-10T09:00:00Z");

  final EconomyWorld world = new EconomyWorld(JAN_10);

  EconomySettings.Builder settings() {
    return EconomySettings.builder(hundredForADollar());
  }

  ReferralOutcome refer(String referrer, String referred) {
    return world
        .economy()
        .recordReferral(
            ReferralRequest.of(
                ACME,
                AccountId.of(referrer),
                AccountId.of(referred),
                world.clock.instant(),
                SIGNUPS));
  }

  @Test
  void finance_saves_the_settings_as_versions_and_the_audit_trail_says_who_changed_what() {
    SettingsVersion v1 =
        world.save(0, settings().signUpCredits(credits(500)).build(), "launch settings");
    world.clock.advance(Duration.ofDays(3));
    EconomySettings raised =
        EconomySettings.builder(v1.settings())
            .signUpCredits(credits(750))
            .agentRevenueShare(Percentage.of("12.5"))
            .refreshInterval(Duration.ofMinutes(30))
            .build();
    SettingsVersion v2 = world.save(1, raised, "spring promotion");

    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.at()).isEqualTo(JAN_10.plus(Duration.ofDays(3)));
    assertThat(world.economy().settings(ACME)).contains(v2);
    assertThat(world.economy().settings(ACME, 1)).contains(v1);
    List<SettingsChange> history = world.economy().history(ACME);
    assertThat(history).hasSize(2);
    assertThat(history.get(0).before()).isEmpty();
    assertThat(history.get(0).changes()).isEmpty();
    assertThat(history.get(1).version().actor()).isEqualTo(FINANCE);
    assertThat(history.get(1).version().reason()).isEqualTo("spring promotion");
    assertThat(history.get(1).before()).contains(v1.settings());
    assertThat(history.get(1).after()).isEqualTo(raised);
    assertThat(history.get(1).changes())
        .containsExactly(
            new FieldChange("signUpCredits", "CREDIT 500", "CREDIT 750"),
            new FieldChange("refreshInterval", "PT1H", "PT30M"),
            new FieldChange("agentRevenueShare", "0 %", "12.5 %"));
  }

  @Test
  void a_save_based_on_an_older_version_is_refused_and_nothing_is_written() {
    world.save(0, settings().build(), "first");
    world.save(1, settings().signUpCredits(credits(10)).build(), "Ada's change");
    assertThatThrownBy(() -> world.save(1, settings().signUpCredits(credits(20)).build(), "late"))
        .isInstanceOfSatisfying(
            SettingsVersionConflictException.class,
            e -> {
              assertThat(e.expectedVersion()).isEqualTo(1);
              assertThat(e.actualVersion()).isEqualTo(2);
            });
    assertThat(world.economy().history(ACME)).hasSize(2);
    assertThat(world.economy().settings(ACME).orElseThrow().settings().signUpCredits())
        .isEqualTo(credits(10));
    // Only admin and finance configure the economy.
    assertThatThrownBy(
            () ->
                world
                    .economy()
                    .saveSettings(SettingsUpdate.of(ACME, 2, settings().build(), USER, "mine")))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(world.economy().history(ACME)).hasSize(2);
  }

  @Test
  void a_new_account_gets_its_sign_up_credits_once_ever_whatever_the_settings_say_later() {
    world.open("ann");
    world.open("ben");
    // No settings yet: a typed refusal, nothing granted.
    assertThatThrownBy(() -> world.economy().awardSignUpCredits(ACME, AccountId.of("ann"), SIGNUPS))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("settings"));
    assertThat(world.available("ann")).isZero();

    world.save(0, settings().signUpCredits(credits(500)).build(), "launch");
    SignUpOutcome first = world.economy().awardSignUpCredits(ACME, AccountId.of("ann"), SIGNUPS);
    assertThat(first).isInstanceOf(SignUpOutcome.Awarded.class);
    SignUpOutcome.Awarded awarded = (SignUpOutcome.Awarded) first;
    assertThat(awarded.credits()).isEqualTo(credits(500));
    assertThat(awarded.settingsVersion()).isEqualTo(1);
    assertThat(world.availableIn("ann", GrantCategory.SIGN_UP)).isEqualTo(500);
    GrantBalance grant = world.billing.credits().findGrant(ACME, awarded.grant()).orElseThrow();
    assertThat(grant.grant().metadata()).containsEntry("economy.settingsVersion", "1");

    // The sign-up credits change; Ann asks again, through another actor: nothing more.
    world.save(1, settings().signUpCredits(credits(900)).build(), "more generous");
    assertThat(world.economy().awardSignUpCredits(ACME, AccountId.of("ann"), ADMIN))
        .isInstanceOf(SignUpOutcome.AlreadyAwarded.class);
    assertThat(world.economy().awardSignUpCredits(ACME, AccountId.of("ann"), SIGNUPS))
        .isInstanceOf(SignUpOutcome.AlreadyAwarded.class);
    assertThat(world.available("ann")).isEqualTo(500);
    // Ben signs up under the new settings, and the grant names them.
    SignUpOutcome.Awarded ben =
        (SignUpOutcome.Awarded)
            world.economy().awardSignUpCredits(ACME, AccountId.of("ben"), SIGNUPS);
    assertThat(ben.credits()).isEqualTo(credits(900));
    assertThat(ben.settingsVersion()).isEqualTo(2);

    // Zero sign-up credits award nothing and record nothing; an unknown account is refused.
    world.save(2, settings().build(), "promotion over");
    world.open("cy");
    assertThat(world.economy().awardSignUpCredits(ACME, AccountId.of("cy"), SIGNUPS))
        .isEqualTo(new SignUpOutcome.NothingToAward(3));
    assertThat(world.ledger("cy")).isEmpty();
    assertThatThrownBy(
            () -> world.economy().awardSignUpCredits(ACME, AccountId.of("ghost"), SIGNUPS))
        .isInstanceOf(AccountNotFoundException.class);
    // End users do not award themselves credits.
    assertThatThrownBy(() -> world.economy().awardSignUpCredits(ACME, AccountId.of("cy"), USER))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void a_referrer_hits_the_monthly_cap_and_is_rewarded_again_next_month() {
    world.save(
        0,
        settings().referralCredits(credits(200)).maxReferralsPerMonth(2).build(),
        "referral programme");
    world.open("agent");
    for (String u : List.of("u1", "u2", "u3", "u4", "u5")) {
      world.open(u);
    }

    assertThat(refer("agent", "u1")).isInstanceOf(Rewarded.class);
    world.clock.advance(Duration.ofDays(5));
    assertThat(refer("agent", "u2")).isInstanceOf(Rewarded.class);
    world.clock.advance(Duration.ofDays(5));
    ReferralOutcome third = refer("agent", "u3");
    assertThat(third)
        .isInstanceOfSatisfying(
            NotRewarded.class, n -> assertThat(n.reason()).isEqualTo(Reason.MONTHLY_CAP_REACHED));
    assertThat(world.availableIn("agent", GrantCategory.REFERRAL)).isEqualTo(400);
    // The relationship is kept, rewarded or not: the agent revenue share reads it.
    assertThat(world.economy().referralOf(ACME, AccountId.of("u3")).orElseThrow().referrer())
        .isEqualTo(AccountId.of("agent"));
    // Referring u3 again (even by someone else) records nothing and grants nothing.
    world.open("rival");
    assertThat(refer("rival", "u3")).isInstanceOf(AlreadyRecorded.class);
    assertThat(refer("agent", "u1")).isInstanceOf(AlreadyRecorded.class);
    assertThat(world.available("rival")).isZero();

    // February: the cap starts again.
    world.clock.set(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(refer("agent", "u4")).isInstanceOf(Rewarded.class);
    assertThat(world.availableIn("agent", GrantCategory.REFERRAL)).isEqualTo(600);
    assertThat(world.economy().referralsBy(ACME, AccountId.of("agent")))
        .extracting(r -> r.referred().value(), Referral::month, Referral::rewarded)
        .containsExactly(
            tuple("u1", YearMonth.of(2026, 1), true),
            tuple("u2", YearMonth.of(2026, 1), true),
            tuple("u3", YearMonth.of(2026, 1), false),
            tuple("u4", YearMonth.of(2026, 2), true));

    // -1 never caps.
    world.save(
        1, settings().referralCredits(credits(200)).maxReferralsPerMonth(-1).build(), "no cap");
    for (int i = 0; i < 6; i++) {
      world.open("many-" + i);
      assertThat(refer("agent", "many-" + i)).isInstanceOf(Rewarded.class);
    }
    // Zero referral credits record the referral and grant nothing.
    world.save(2, settings().build(), "programme paused");
    assertThat(refer("agent", "u5"))
        .isInstanceOfSatisfying(
            NotRewarded.class, n -> assertThat(n.reason()).isEqualTo(Reason.NO_REFERRAL_CREDITS));
  }

  @Test
  void the_month_of_a_referral_is_the_calendar_month_in_the_settings_zone() {
    // Kathmandu is UTC+05:45: 18:30 UTC on Jan 31 is already February there.
    world.save(
        0,
        settings()
            .referralCredits(credits(100))
            .maxReferralsPerMonth(1)
            .calendarZone(ZoneId.of("Asia/Kathmandu"))
            .build(),
        "Nepal");
    world.open("agent");
    world.open("jan");
    world.open("feb");
    world.clock.set(Instant.parse("2026-01-31T18:14:59Z"));
    assertThat(refer("agent", "jan").referral().month()).isEqualTo(YearMonth.of(2026, 1));
    world.clock.set(Instant.parse("2026-01-31T18:15:00Z"));
    ReferralOutcome feb = refer("agent", "feb");
    assertThat(feb.referral().month()).isEqualTo(YearMonth.of(2026, 2));
    assertThat(feb).isInstanceOf(Rewarded.class);
  }

  @Test
  void bad_referrals_are_refused_by_name_and_leave_nothing_behind() {
    world.save(0, settings().referralCredits(credits(100)).build(), "programme");
    world.open("agent");
    world.open("user");
    assertThatThrownBy(() -> refer("agent", "agent"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("referred"));
    assertThatThrownBy(
            () ->
                world
                    .economy()
                    .recordReferral(
                        ReferralRequest.of(
                            ACME,
                            AccountId.of("agent"),
                            AccountId.of("user"),
                            world.clock.instant().plusSeconds(1),
                            SIGNUPS)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("at"));
    assertThatThrownBy(() -> refer("agent", "ghost")).isInstanceOf(AccountNotFoundException.class);
    assertThatThrownBy(() -> refer("ghost", "user")).isInstanceOf(AccountNotFoundException.class);
    assertThat(world.economy().referralOf(ACME, AccountId.of("user"))).isEmpty();
    assertThat(world.economy().referralsBy(ACME, AccountId.of("agent"))).isEmpty();
    assertThat(world.ledger("agent", "user")).isEmpty();
  }
}
