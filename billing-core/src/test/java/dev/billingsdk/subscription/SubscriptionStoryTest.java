package dev.billingsdk.subscription;

import static dev.billingsdk.subscription.SubscriptionWorld.ACME;
import static dev.billingsdk.subscription.SubscriptionWorld.ADMIN;
import static dev.billingsdk.subscription.SubscriptionWorld.CARA;
import static dev.billingsdk.subscription.SubscriptionWorld.CUSTOMER;
import static dev.billingsdk.subscription.SubscriptionWorld.PRO;
import static dev.billingsdk.subscription.SubscriptionWorld.STARTER;
import static dev.billingsdk.subscription.SubscriptionWorld.TEAM;
import static dev.billingsdk.subscription.SubscriptionWorld.USD;
import static dev.billingsdk.subscription.SubscriptionWorld.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.money.Amount;
import dev.billingsdk.payment.OffSessionOutcome;
import dev.billingsdk.payment.PaymentStatus;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.subscription.SubscriptionChange.Kind;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions told as stories on a story clock travelling through months: the first period paid
 * through the hosted checkout, renewals charged off-session by the job, each period's allowance
 * granted once and expiring with its period.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SubscriptionStoryTest {

  static SubscribeRequest.Builder request(String id, dev.billingsdk.catalogue.PlanId plan) {
    return SubscribeRequest.builder(ACME, CARA, SubscriptionId.of(id), plan, USD)
        .provider("recurring")
        .actor(CUSTOMER);
  }

  static SubscribeRequest checkout(String id, dev.billingsdk.catalogue.PlanId plan) {
    return request(id, plan)
        .hostedCheckout(URI.create("https://app.example/ok"), URI.create("https://app.example/no"))
        .customerEmail("cara@example.com")
        .build();
  }

  static SubscribeRequest saved(String id, dev.billingsdk.catalogue.PlanId plan) {
    return request(id, plan).savedMethod("cus_1", "pm_card").build();
  }

  static Instant at(String instant) {
    return Instant.parse(instant);
  }

  @Test
  void
      fourteen_months_with_an_upgrade_a_failed_renewal_its_recovery_and_a_cancellation_at_period_end() {
    SubscriptionWorld w =
        new SubscriptionWorld(
            at("2026-01-15T09:00:00Z"), ZoneOffset.UTC, DunningSchedule.standard());
    SubscriptionStarted started = w.subscriptions().subscribe(checkout("cara-sub", STARTER));
    assertThat(started.subscription().state()).isEqualTo(SubscriptionState.INCOMPLETE);
    assertThat(started.checkoutUrl()).contains(URI.create("https://pay.example/cs_cara-sub-p0-a1"));
    // The first period is a one-time payment whose card is saved: never the provider's own
    // recurring billing as well, which would charge each month twice.
    assertThat(w.provider.checkoutCalls.get(0).recurring()).isEmpty();
    assertThat(w.provider.checkoutCalls.get(0).saveForOffSession()).isTrue();

    // Cara pays at 09:05 and comes back: the subscription starts then, with its first allowance.
    w.clock.set(at("2026-01-15T09:05:00Z"));
    w.provider.payCheckout("cs_cara-sub-p0-a1");
    w.billing
        .purchases()
        .handleReturn("recurring", Map.of("session_id", List.of("cs_cara-sub-p0-a1")));
    Subscription s = w.subscription("cara-sub");
    assertThat(s.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(s.anchor()).isEqualTo(at("2026-01-15T09:05:00Z"));
    assertThat(s.paymentMethod()).contains("pm_card");
    assertThat(w.balance().available()).isEqualTo(credits(1_000));

    // February and March renew on the 15th at 09:05; a run before that does nothing.
    w.clock.set(at("2026-02-15T09:04:59Z"));
    assertThat(w.renew().changes()).isEmpty();
    w.clock.set(at("2026-02-15T09:05:00Z"));
    assertThat(w.renew().changes())
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.RENEWED);
    w.clock.set(at("2026-03-16T00:00:00Z"));
    assertThat(w.renew().changes())
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.RENEWED);
    // Each period's allowance ends with its period; last month's remainder is gone.
    assertThat(w.balance().available()).isEqualTo(credits(1_000));

    // Half-way through period 2 (March 15 09:05 to April 15 09:05, 31 days), Cara upgrades to Pro.
    Instant half = at("2026-03-15T09:05:00Z").plus(Duration.ofMinutes(31 * 24 * 60 / 2));
    w.clock.set(half);
    PlanChangeOutcome up =
        w.subscriptions().changePlan(ACME, SubscriptionId.of("cara-sub"), PRO, CUSTOMER, "more");
    assertThat(up.result()).isEqualTo(PlanChangeOutcome.Result.UPGRADED);
    assertThat(up.charged()).contains(Amount.of(USD, "10.00")); // (30 - 10) / 2
    assertThat(up.proratedCredits()).contains(credits(1_500)); // (4000 - 1000) / 2
    assertThat(w.balance().available()).isEqualTo(credits(2_500));
    assertThat(w.subscription("cara-sub").price()).isEqualTo(Amount.of(USD, "30.00"));

    // April renews at the Pro price and allowance.
    w.clock.set(at("2026-04-15T10:00:00Z"));
    w.renew();
    assertThat(w.balance().available()).isEqualTo(credits(4_000));
    assertThat(w.provider.charged.get(w.provider.charged.size() - 1).amount())
        .isEqualTo(Amount.of(USD, "30.00"));

    // May: the card is declined. Past due, retried a day later, paid: recovered.
    w.provider.queue(
        new OffSessionOutcome.Declined("insufficient_funds", "Your card has insufficient funds."));
    w.clock.set(at("2026-05-15T09:05:00Z"));
    assertThat(w.renew().changes())
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.PAYMENT_FAILED);
    s = w.subscription("cara-sub");
    assertThat(s.state()).isEqualTo(SubscriptionState.PAST_DUE);
    assertThat(s.nextAttemptAt()).contains(at("2026-05-16T09:05:00Z"));
    assertThat(w.balance().available())
        .isEqualTo(credits(0)); // April's allowance ended; May's is unpaid
    w.clock.set(at("2026-05-16T09:05:00Z"));
    assertThat(w.renew().changes())
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.RECOVERED);
    assertThat(w.subscription("cara-sub").state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(w.balance().available()).isEqualTo(credits(4_000));
    assertThat(
            w.billing
                .purchases()
                .purchase(ACME, PurchaseId.of("cara-sub-p4-a1"))
                .orElseThrow()
                .state())
        .isEqualTo(PurchaseState.FAILED);
    assertThat(
            w.billing
                .purchases()
                .purchase(ACME, PurchaseId.of("cara-sub-p4-a2"))
                .orElseThrow()
                .state())
        .isEqualTo(PurchaseState.PAID);

    // June to next January renew; running the job twice a month changes nothing more.
    for (int month = 6; month <= 12; month++) {
      w.clock.set(at(String.format("2026-%02d-15T12:00:00Z", month)));
      w.renew();
      assertThat(w.renew().changes()).isEmpty();
    }
    w.clock.set(at("2027-01-15T12:00:00Z"));
    w.renew();
    assertThat(w.subscription("cara-sub").paidPeriods()).isEqualTo(13);

    // January 20, 2027: Cara cancels at the period's end. She keeps January's allowance.
    w.clock.set(at("2027-01-20T08:00:00Z"));
    Subscription canceling =
        w.subscriptions().cancel(ACME, SubscriptionId.of("cara-sub"), true, CUSTOMER, "moving on");
    assertThat(canceling.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(canceling.cancelAtPeriodEnd()).isTrue();
    w.clock.set(at("2027-02-15T09:05:00Z"));
    int charges = w.provider.charged.size();
    assertThat(w.renew().changes())
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.CANCELED);
    assertThat(w.provider.charged).hasSize(charges);
    s = w.subscription("cara-sub");
    assertThat(s.state()).isEqualTo(SubscriptionState.CANCELED);
    assertThat(s.endedAt()).contains(at("2027-02-15T09:05:00Z"));

    // Fourteen months: 13 periods paid, each allowance granted once and ending with its period.
    List<GrantBalance> allowances =
        w.allowances().stream()
            .filter(g -> !g.grant().metadata().containsKey("subscription.upgrade"))
            .toList();
    assertThat(allowances).hasSize(13);
    for (int n = 0; n < 13; n++) {
      GrantBalance g = allowances.get(n);
      assertThat(g.grant().metadata()).containsEntry("subscription.period", Integer.toString(n));
      assertThat(g.grant().effectiveFrom()).isEqualTo(s.periodStart(n));
      assertThat(g.grant().expiresAt()).contains(s.periodStart(n + 1));
    }
    assertThat(w.eventKinds())
        .containsSubsequence(
            Kind.CREATED,
            Kind.ACTIVATED,
            Kind.RENEWED,
            Kind.RENEWED,
            Kind.UPGRADED,
            Kind.RENEWED,
            Kind.PAYMENT_FAILED,
            Kind.RECOVERED,
            Kind.CANCEL_SCHEDULED,
            Kind.CANCELED);
    assertThat(w.subscriptions().history(ACME, SubscriptionId.of("cara-sub")))
        .extracting(SubscriptionChange::kind)
        .containsExactlyElementsOf(w.eventKinds());
  }

  @Test
  void
      started_on_january_31_it_renews_on_february_28_then_march_31_and_on_february_29_in_a_leap_year() {
    for (String year : List.of("2026", "2028")) {
      SubscriptionWorld w =
          new SubscriptionWorld(
              at(year + "-01-31T10:00:00Z"), ZoneOffset.UTC, DunningSchedule.standard());
      Subscription s = w.subscriptions().subscribe(saved("s", STARTER)).subscription();
      assertThat(s.state()).isEqualTo(SubscriptionState.ACTIVE);
      String feb = year.equals("2028") ? "29" : "28";
      assertThat(s.periodStart(1)).isEqualTo(at(year + "-02-" + feb + "T10:00:00Z"));
      assertThat(s.periodStart(2)).isEqualTo(at(year + "-03-31T10:00:00Z"));
      assertThat(s.periodStart(3)).isEqualTo(at(year + "-04-30T10:00:00Z"));
      assertThat(s.periodStart(12))
          .isEqualTo(at((Integer.parseInt(year) + 1) + "-01-31T10:00:00Z"));
      w.clock.set(at(year + "-02-" + feb + "T09:59:59Z"));
      assertThat(w.renew().changes()).isEmpty();
      w.clock.set(at(year + "-02-" + feb + "T10:00:00Z"));
      assertThat(w.renew().changes()).hasSize(1);
      w.clock.set(at(year + "-03-30T10:00:00Z"));
      assertThat(w.renew().changes()).isEmpty(); // not on the 28th of every month after
      w.clock.set(at(year + "-03-31T10:00:00Z"));
      assertThat(w.renew().changes()).hasSize(1);
    }
  }

  static Subscription anchoredAt(String anchor, java.time.Period cadence) {
    return new Subscription(
        ACME,
        SubscriptionId.of("s"),
        CARA,
        PlanRef.of(STARTER, 1),
        java.util.Optional.empty(),
        cadence,
        Amount.of(USD, "10.00"),
        "recurring",
        SubscriptionState.ACTIVE,
        ZoneOffset.UTC,
        at(anchor),
        at(anchor),
        1,
        java.util.Optional.empty(),
        false,
        java.util.Optional.empty(),
        java.util.Optional.empty(),
        java.util.Optional.empty(),
        0,
        java.util.Optional.empty(),
        1);
  }

  @Test
  void periods_from_an_anchor_late_in_the_month_tile_without_gaps_and_never_drift() {
    // Kill Bill stopped billing after a clamped 28th; Lago dropped a leap year and moved quarterly
    // ends: each period is computed from the anchor, never from the period before.
    Subscription monthly = anchoredAt("2026-01-31T00:00:00Z", java.time.Period.ofMonths(1));
    for (int n = 0; n < 24; n++) {
      java.time.LocalDate start = monthly.periodStart(n).atZone(ZoneOffset.UTC).toLocalDate();
      assertThat(start.getDayOfMonth()).isEqualTo(Math.min(31, start.lengthOfMonth()));
      assertThat(monthly.periodStart(n + 1)).isAfter(monthly.periodStart(n));
    }
    Subscription yearly = anchoredAt("2024-02-29T00:00:00Z", java.time.Period.ofYears(1));
    assertThat(List.of(1, 2, 3, 4).stream().map(yearly::periodStart).toList())
        .containsExactly(
            at("2025-02-28T00:00:00Z"),
            at("2026-02-28T00:00:00Z"),
            at("2027-02-28T00:00:00Z"),
            at("2028-02-29T00:00:00Z"));
    Subscription quarterly = anchoredAt("2024-11-30T00:00:00Z", java.time.Period.ofMonths(3));
    assertThat(List.of(1, 2, 3).stream().map(quarterly::periodStart).toList())
        .containsExactly(
            at("2025-02-28T00:00:00Z"), at("2025-05-30T00:00:00Z"), at("2025-08-30T00:00:00Z"));
  }

  @Test
  void a_renewal_that_was_processing_and_then_failed_follows_the_same_dunning_schedule() {
    // Kill Bill scheduled no retries when a pending payment later failed.
    SubscriptionWorld w =
        new SubscriptionWorld(
            at("2026-01-05T00:00:00Z"), ZoneOffset.UTC, DunningSchedule.standard());
    w.subscriptions().subscribe(saved("s", STARTER));
    w.provider.queue(new OffSessionOutcome.Processing("pi_s-p1-a1"));
    w.clock.set(at("2026-02-05T00:00:00Z"));
    w.renew();
    w.provider.settle("pi_s-p1-a1", PaymentStatus.FAILED);
    w.clock.set(at("2026-02-05T01:00:00Z"));
    assertThat(w.renew().changes())
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.PAYMENT_FAILED);
    assertThat(w.subscription("s").nextAttemptAt()).contains(at("2026-02-06T00:00:00Z"));
    w.clock.set(at("2026-02-06T00:00:00Z"));
    assertThat(w.renew().changes())
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.RECOVERED);
  }

  @Test
  void the_job_run_twice_on_one_local_day_in_tokyo_renews_once() {
    // Lago billed UTC+X customers twice on one local day.
    SubscriptionWorld w =
        new SubscriptionWorld(
            at("2024-02-29T15:30:00Z"), ZoneId.of("Asia/Tokyo"), DunningSchedule.standard());
    w.subscriptions().subscribe(saved("s", STARTER)); // March 1, 00:30 in Tokyo
    w.clock.set(at("2024-03-31T15:30:00Z")); // April 1, 00:30 in Tokyo
    assertThat(w.renew().changes()).hasSize(1);
    w.clock.set(at("2024-04-01T00:30:00Z")); // April 1, 09:30 in Tokyo
    assertThat(w.renew().changes()).isEmpty();
    assertThat(w.provider.charged).hasSize(2);
  }

  @Test
  void periods_follow_the_calendar_of_the_settings_zone_across_daylight_saving() {
    // New York: 09:00 local on March 1 is 14:00 UTC; on April 1, after the clocks moved, 13:00.
    SubscriptionWorld w =
        new SubscriptionWorld(
            at("2026-03-01T14:00:00Z"), ZoneId.of("America/New_York"), DunningSchedule.standard());
    Subscription s = w.subscriptions().subscribe(saved("ny", STARTER)).subscription();
    assertThat(s.zone()).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(s.periodStart(1)).isEqualTo(at("2026-04-01T13:00:00Z"));
    assertThat(s.periodLength(0)).isEqualTo(Duration.ofDays(31).minusHours(1));
  }

  @Test
  void three_failed_retries_cancel_the_subscription_and_every_step_is_an_event() {
    SubscriptionWorld w =
        new SubscriptionWorld(
            at("2026-01-10T00:00:00Z"), ZoneOffset.UTC, DunningSchedule.standard());
    w.subscriptions().subscribe(saved("s", STARTER));
    w.provider.queue(
        new OffSessionOutcome.Declined("card_declined", ""),
        new OffSessionOutcome.AuthenticationRequired("pi_auth"),
        new OffSessionOutcome.Declined("card_declined", ""),
        new OffSessionOutcome.Declined("expired_card", "Your card has expired."));
    w.clock.set(at("2026-02-10T00:00:00Z"));
    w.renew();
    for (String day : List.of("2026-02-11", "2026-02-13", "2026-02-17")) {
      assertThat(w.subscription("s").state()).isEqualTo(SubscriptionState.PAST_DUE);
      w.clock.set(at(day + "T00:00:00Z"));
      w.renew();
    }
    Subscription s = w.subscription("s");
    assertThat(s.state()).isEqualTo(SubscriptionState.CANCELED);
    assertThat(s.failedAttempts()).isEqualTo(4);
    List<SubscriptionChange> history = w.subscriptions().history(ACME, SubscriptionId.of("s"));
    assertThat(history)
        .extracting(SubscriptionChange::kind)
        .containsExactly(
            Kind.CREATED,
            Kind.ACTIVATED,
            Kind.PAYMENT_FAILED,
            Kind.PAYMENT_FAILED,
            Kind.PAYMENT_FAILED,
            Kind.CANCELED);
    assertThat(history.get(3).detail()).contains("authentication required");
    assertThat(history.get(5).detail())
        .contains("unpaid after 4 attempts")
        .contains("expired_card");
    assertThat(w.eventKinds()).isEqualTo(history.stream().map(SubscriptionChange::kind).toList());
    // Nothing more happens to a canceled subscription.
    w.clock.set(at("2026-04-01T00:00:00Z"));
    assertThat(w.renew().changes()).isEmpty();
    assertThat(w.allowances()).hasSize(1);
  }

  @Test
  void a_trial_charges_nothing_until_it_ends_and_the_periods_start_there() {
    SubscriptionWorld w =
        new SubscriptionWorld(
            at("2026-06-01T12:00:00Z"), ZoneOffset.UTC, DunningSchedule.standard());
    Subscription s =
        w.subscriptions()
            .subscribe(
                request("t", PRO)
                    .savedMethod("cus_1", "pm_card")
                    .trial(Duration.ofDays(14))
                    .build())
            .subscription();
    assertThat(s.state()).isEqualTo(SubscriptionState.TRIALING);
    assertThat(s.trialEnd()).contains(at("2026-06-15T12:00:00Z"));
    w.clock.set(at("2026-06-15T11:59:00Z"));
    w.renew();
    assertThat(w.provider.charged).isEmpty();
    w.clock.set(at("2026-06-15T12:00:00Z"));
    assertThat(w.renew().changes())
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.ACTIVATED);
    s = w.subscription("t");
    assertThat(s.anchor()).isEqualTo(at("2026-06-15T12:00:00Z"));
    assertThat(s.periodStart(1)).isEqualTo(at("2026-07-15T12:00:00Z"));
    assertThat(w.balance().available()).isEqualTo(credits(4_000));
  }

  @Test
  void
      a_downgrade_waits_for_the_next_period_and_two_upgrades_in_a_period_prorate_from_the_plan_in_force() {
    SubscriptionWorld w =
        new SubscriptionWorld(
            at("2026-04-01T00:00:00Z"), ZoneOffset.UTC, DunningSchedule.standard());
    w.subscriptions().subscribe(saved("s", STARTER)); // April: 30 days
    // Day 10: Pro, 20 of 30 days left. Lago gave a second upgrade credit for the first plan again.
    w.clock.set(at("2026-04-11T00:00:00Z"));
    PlanChangeOutcome pro =
        w.subscriptions().changePlan(ACME, SubscriptionId.of("s"), PRO, CUSTOMER, "pro");
    assertThat(pro.charged()).contains(Amount.of(USD, "13.33")); // 20.00 × 20/30 = 13.333…, half up
    assertThat(pro.proratedCredits()).contains(credits(2_000)); // 3000 × 20/30
    // Day 20: Team, 10 days left, from Pro (not from Starter).
    w.clock.set(at("2026-04-21T00:00:00Z"));
    PlanChangeOutcome team =
        w.subscriptions().changePlan(ACME, SubscriptionId.of("s"), TEAM, CUSTOMER, "team");
    assertThat(team.charged()).contains(Amount.of(USD, "20.00")); // 60.00 × 10/30
    assertThat(team.proratedCredits()).contains(credits(3_666)); // 11000 × 10/30 = 3666.67, down
    // Changing to the plan in force changes nothing.
    assertThat(
            w.subscriptions()
                .changePlan(ACME, SubscriptionId.of("s"), TEAM, CUSTOMER, "again")
                .result())
        .isEqualTo(PlanChangeOutcome.Result.UNCHANGED);
    // Day 25: back to Starter, from May.
    w.clock.set(at("2026-04-26T00:00:00Z"));
    PlanChangeOutcome down =
        w.subscriptions().changePlan(ACME, SubscriptionId.of("s"), STARTER, CUSTOMER, "less");
    assertThat(down.result()).isEqualTo(PlanChangeOutcome.Result.DOWNGRADE_SCHEDULED);
    assertThat(down.charged()).isEmpty();
    assertThat(w.subscription("s").plan().plan()).isEqualTo(TEAM);
    w.clock.set(at("2026-05-01T00:00:00Z"));
    assertThat(w.renew().changes())
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.DOWNGRADED);
    Subscription s = w.subscription("s");
    assertThat(s.plan().plan()).isEqualTo(STARTER);
    assertThat(s.price()).isEqualTo(Amount.of(USD, "10.00"));
    assertThat(s.nextPlan()).isEmpty();
    assertThat(w.balance().available()).isEqualTo(credits(1_000));
    // A declined upgrade changes nothing.
    w.provider.queue(new OffSessionOutcome.Declined("card_declined", ""));
    PlanChangeOutcome refused =
        w.subscriptions().changePlan(ACME, SubscriptionId.of("s"), PRO, CUSTOMER, "pro");
    assertThat(refused.result()).isEqualTo(PlanChangeOutcome.Result.PAYMENT_NOT_TAKEN);
    assertThat(w.subscription("s").plan().plan()).isEqualTo(STARTER);
  }

  @Test
  void a_renewal_still_processing_is_read_again_and_granted_once_when_it_settles() {
    SubscriptionWorld w =
        new SubscriptionWorld(
            at("2026-01-05T00:00:00Z"), ZoneOffset.UTC, DunningSchedule.standard());
    w.subscriptions().subscribe(saved("s", STARTER));
    w.provider.queue(new OffSessionOutcome.Processing("pi_s-p1-a1"));
    w.clock.set(at("2026-02-05T00:00:00Z"));
    assertThat(w.renew().changes()).isEmpty();
    assertThat(w.renew().changes()).isEmpty();
    assertThat(w.subscription("s").paidPeriods()).isEqualTo(1);
    w.provider.settle("pi_s-p1-a1", PaymentStatus.PAID);
    w.clock.set(at("2026-02-05T06:00:00Z"));
    assertThat(w.renew().changes())
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.RENEWED);
    assertThat(w.allowances()).hasSize(2);
    assertThat(w.provider.charged).hasSize(2);
  }

  @Test
  void an_unpaid_checkout_expires_after_a_day_and_a_switched_off_tenant_starts_nothing() {
    SubscriptionWorld w =
        new SubscriptionWorld(
            at("2026-01-05T00:00:00Z"), ZoneOffset.UTC, DunningSchedule.standard());
    w.subscriptions().subscribe(checkout("s", STARTER));
    w.clock.set(at("2026-01-05T23:59:59Z"));
    assertThat(w.renew().changes()).isEmpty();
    w.clock.set(at("2026-01-06T00:00:00Z"));
    assertThat(w.renew().changes())
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.EXPIRED);
    assertThat(w.subscription("s").state()).isEqualTo(SubscriptionState.EXPIRED);

    EconomySettings off =
        EconomySettings.builder(w.billing.economy().settings(ACME).orElseThrow().settings())
            .subscriptionsEnabled(false)
            .build();
    w.billing.economy().saveSettings(SettingsUpdate.of(ACME, 1, off, ADMIN, "tab hidden"));
    assertThatThrownBy(() -> w.subscriptions().subscribe(saved("t", STARTER)))
        .isInstanceOf(SubscriptionsDisabledException.class);
    assertThat(w.subscriptions().subscription(ACME, SubscriptionId.of("t"))).isEmpty();
    assertThat(w.provider.charged).isEmpty();
    // A plan not sold in the currency is refused by name.
    w.billing
        .economy()
        .saveSettings(
            SettingsUpdate.of(
                ACME,
                2,
                EconomySettings.builder(off).subscriptionsEnabled(true).build(),
                ADMIN,
                "on"));
    assertThatThrownBy(
            () ->
                w.subscriptions()
                    .subscribe(
                        SubscribeRequest.builder(
                                ACME,
                                CARA,
                                SubscriptionId.of("eur"),
                                STARTER,
                                dev.billingsdk.money.CurrencyUnit.of("EUR"))
                            .provider("recurring")
                            .savedMethod("cus_1", "pm_card")
                            .actor(CUSTOMER)
                            .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("currency"));
  }

  @Test
  void subscribing_again_under_the_same_id_returns_the_first_and_charges_nothing_more() {
    SubscriptionWorld w =
        new SubscriptionWorld(
            at("2026-01-05T00:00:00Z"), ZoneOffset.UTC, DunningSchedule.standard());
    Subscription first = w.subscriptions().subscribe(saved("s", STARTER)).subscription();
    Subscription again = w.subscriptions().subscribe(saved("s", STARTER)).subscription();
    assertThat(again).isEqualTo(first);
    assertThat(w.provider.charged).hasSize(1);
    assertThat(w.allowances()).hasSize(1);
    assertThatThrownBy(() -> w.subscriptions().subscribe(saved("s", PRO)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("subscription"));
  }
}
