package dev.billingsdk.subscription;

import static dev.billingsdk.subscription.SubscriptionWorld.ACME;
import static dev.billingsdk.subscription.SubscriptionWorld.ADMIN;
import static dev.billingsdk.subscription.SubscriptionWorld.CARA;
import static dev.billingsdk.subscription.SubscriptionWorld.CUSTOMER;
import static dev.billingsdk.subscription.SubscriptionWorld.PRO;
import static dev.billingsdk.subscription.SubscriptionWorld.STARTER;
import static dev.billingsdk.subscription.SubscriptionWorld.USD;
import static dev.billingsdk.subscription.SubscriptionWorld.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlanDraft;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.money.Amount;
import dev.billingsdk.subscription.SubscriptionChange.Kind;
import java.net.URI;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The subscription paths the stories do not walk: no saved card, a late upgrade, odd plans. */
class SubscriptionEdgesTest {
  static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

  SubscriptionWorld world() {
    return new SubscriptionWorld(T0, ZoneOffset.UTC, DunningSchedule.standard());
  }

  SubscribeRequest.Builder request(String id, PlanId plan) {
    return SubscribeRequest.builder(ACME, CARA, SubscriptionId.of(id), plan, USD)
        .provider("recurring")
        .actor(CUSTOMER);
  }

  @Test
  void a_checkout_that_saved_no_card_renews_into_past_due_and_an_upgrade_is_not_taken() {
    SubscriptionWorld w = world();
    w.subscriptions()
        .subscribe(
            request("s", STARTER)
                .hostedCheckout(URI.create("https://a/ok"), URI.create("https://a/no"))
                .build());
    w.provider.payCheckout("cs_s-p0-a1", false);
    w.billing.purchases().handleReturn("recurring", Map.of("session_id", List.of("cs_s-p0-a1")));
    Subscription s = w.subscription("s");
    assertThat(s.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(s.paymentMethod()).isEmpty();
    w.clock.set(Instant.parse("2026-05-15T00:00:00Z"));
    PlanChangeOutcome up =
        w.subscriptions().changePlan(ACME, SubscriptionId.of("s"), PRO, CUSTOMER, "more");
    assertThat(up.result()).isEqualTo(PlanChangeOutcome.Result.PAYMENT_NOT_TAKEN);
    assertThat(up.detail()).contains("no saved payment method");
    w.clock.set(Instant.parse("2026-06-01T00:00:00Z"));
    assertThat(w.renew().changes())
        .extracting(SubscriptionChange::kind, SubscriptionChange::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Kind.PAYMENT_FAILED, "period 1, attempt 1: no saved payment method"));
  }

  @Test
  void
      an_upgrade_after_the_period_ended_waits_for_the_renewal_and_a_smaller_allowance_grants_none() {
    SubscriptionWorld w = world();
    w.subscriptions().subscribe(request("s", STARTER).savedMethod("cus_1", "pm_1").build());
    w.billing
        .catalogue()
        .createPlan(
            ACME,
            SubscriptionPlanDraft.builder(PlanId.of("priority"), "Priority")
                .cadence(Period.ofMonths(1))
                .price(Amount.of(USD, "20.00"))
                .allowance(credits(500))
                .build(),
            ADMIN);
    w.clock.set(Instant.parse("2026-06-01T00:00:00Z")); // period 0 ended; not renewed yet
    assertThatThrownBy(
            () ->
                w.subscriptions()
                    .changePlan(ACME, SubscriptionId.of("s"), PlanId.of("priority"), CUSTOMER, "x"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.getMessage()).contains("renew first"));
    w.renew();
    w.clock.set(Instant.parse("2026-06-16T00:00:00Z"));
    PlanChangeOutcome up =
        w.subscriptions()
            .changePlan(ACME, SubscriptionId.of("s"), PlanId.of("priority"), CUSTOMER, "x");
    assertThat(up.result()).isEqualTo(PlanChangeOutcome.Result.UPGRADED);
    assertThat(up.proratedCredits()).contains(credits(0));
    assertThat(up.grant()).isEmpty();
    assertThat(up.charged()).contains(Amount.of(USD, "5.00")); // 10.00 × 15/30
  }

  @Test
  void a_downgrade_asked_twice_is_scheduled_once_and_another_account_cannot_take_the_id() {
    SubscriptionWorld w = world();
    w.subscriptions().subscribe(request("s", PRO).savedMethod("cus_1", "pm_1").build());
    assertThat(
            w.subscriptions()
                .changePlan(ACME, SubscriptionId.of("s"), STARTER, CUSTOMER, "less")
                .result())
        .isEqualTo(PlanChangeOutcome.Result.DOWNGRADE_SCHEDULED);
    assertThat(
            w.subscriptions()
                .changePlan(ACME, SubscriptionId.of("s"), STARTER, CUSTOMER, "less")
                .result())
        .isEqualTo(PlanChangeOutcome.Result.UNCHANGED);
    assertThat(w.subscriptions().history(ACME, SubscriptionId.of("s")))
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.CREATED, Kind.ACTIVATED, Kind.DOWNGRADE_SCHEDULED);
    w.billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, AccountId.of("dan"), SubscriptionWorld.CREDIT)
                .actor(ADMIN)
                .build());
    assertThatThrownBy(
            () ->
                w.subscriptions()
                    .subscribe(
                        SubscribeRequest.builder(
                                ACME, AccountId.of("dan"), SubscriptionId.of("s"), PRO, USD)
                            .provider("recurring")
                            .savedMethod("cus_2", "pm_2")
                            .actor(CUSTOMER)
                            .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("subscription"));
  }
}
