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

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.catalogue.CatalogueItemArchivedException;
import dev.billingsdk.catalogue.CatalogueItemNotFoundException;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlanDraft;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.memory.InMemorySubscriptionStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.payment.OffSessionOutcome;
import dev.billingsdk.setup.Billing;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** What subscriptions refuse, by name, and what they leave as it was. */
class SubscriptionRefusalsTest {
  static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

  static void refused(ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  SubscriptionWorld world() {
    return new SubscriptionWorld(T0, ZoneOffset.UTC, DunningSchedule.standard());
  }

  SubscribeRequest.Builder request(String id, PlanId plan) {
    return SubscribeRequest.builder(ACME, CARA, SubscriptionId.of(id), plan, USD)
        .provider("recurring")
        .actor(CUSTOMER);
  }

  @Test
  void values_refuse_what_cannot_be() {
    refused(() -> SubscriptionId.of("x".repeat(97)), "subscription");
    refused(() -> PlanRef.of(STARTER, 0), "version");
    refused(() -> DunningSchedule.of(Duration.ofDays(2), Duration.ofDays(1)), "retries");
    refused(() -> DunningSchedule.of(Duration.ZERO), "retries");
    refused(
        () -> new DunningSchedule(java.util.Collections.nCopies(21, Duration.ofDays(1))),
        "retries");
    assertThat(DunningSchedule.of().retries()).isEmpty();
    refused(() -> request("s", STARTER).build(), "payment");
    refused(
        () ->
            request("s", STARTER)
                .trial(Duration.ofDays(3))
                .hostedCheckout(URI.create("https://a/ok"), URI.create("https://a/no"))
                .build(),
        "trial");
    refused(() -> request("s", STARTER).trial(Duration.ofDays(400)), "trial");
    refused(
        () ->
            request("s", STARTER)
                .savedMethod("cus_1", "pm_1")
                .hostedCheckout(URI.create("https://a/ok"), URI.create("https://a/no")),
        "payment");
    refused(
        () ->
            SubscribeRequest.builder(ACME, CARA, SubscriptionId.of("s"), STARTER, USD)
                .savedMethod("cus_1", "pm_1")
                .build(),
        "provider");
    assertThat(
            request("s", STARTER)
                .savedMethod("cus_1", "pm_1")
                .trial(Duration.ofDays(3))
                .build()
                .toString())
        .contains("saved method")
        .contains("trial=PT72H")
        .doesNotContain("pm_1");
    Subscription s =
        world()
            .subscriptions()
            .subscribe(request("s", STARTER).savedMethod("cus_1", "pm_1").build())
            .subscription();
    refused(() -> s.periodStart(-1), "period");
    refused(
        () ->
            s.next(
                s.state(),
                s.plan(),
                s.nextPlan(),
                Amount.of(CREDIT_UNIT, 5),
                s.anchor(),
                1,
                false,
                Optional.empty(),
                s.customer(),
                s.paymentMethod(),
                0,
                Optional.empty()),
        "price");
    refused(
        () ->
            s.next(
                s.state(),
                s.plan(),
                s.nextPlan(),
                s.price(),
                s.anchor(),
                -1,
                false,
                Optional.empty(),
                s.customer(),
                s.paymentMethod(),
                0,
                Optional.empty()),
        "paidPeriods");
    refused(
        () ->
            s.next(
                s.state(),
                s.plan(),
                s.nextPlan(),
                s.price(),
                s.anchor(),
                1,
                false,
                Optional.empty(),
                s.customer(),
                s.paymentMethod(),
                -1,
                Optional.empty()),
        "failedAttempts");
    assertThat(SubscriptionState.CANCELED.isFinal()).isTrue();
    assertThat(SubscriptionState.PAST_DUE.isFinal()).isFalse();
  }

  static final dev.billingsdk.money.CreditUnit CREDIT_UNIT = SubscriptionWorld.CREDIT;

  @Test
  void subscribing_refuses_an_unknown_plan_account_or_provider_and_an_archived_plan() {
    SubscriptionWorld w = world();
    assertThatThrownBy(
            () ->
                w.subscriptions()
                    .subscribe(request("a", PlanId.of("nope")).savedMethod("c", "m").build()))
        .isInstanceOf(CatalogueItemNotFoundException.class);
    assertThatThrownBy(
            () ->
                w.subscriptions()
                    .subscribe(
                        SubscribeRequest.builder(
                                ACME, AccountId.of("ghost"), SubscriptionId.of("b"), STARTER, USD)
                            .provider("recurring")
                            .savedMethod("c", "m")
                            .actor(CUSTOMER)
                            .build()))
        .isInstanceOf(AccountNotFoundException.class);
    assertThatThrownBy(
            () ->
                w.subscriptions()
                    .subscribe(
                        SubscribeRequest.builder(ACME, CARA, SubscriptionId.of("c"), STARTER, USD)
                            .provider("nobody")
                            .savedMethod("c", "m")
                            .actor(CUSTOMER)
                            .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("provider"));
    w.billing.catalogue().archivePlan(ACME, STARTER, 1, ADMIN);
    assertThatThrownBy(
            () -> w.subscriptions().subscribe(request("d", STARTER).savedMethod("c", "m").build()))
        .isInstanceOf(CatalogueItemArchivedException.class);
    // A plan granting another credit unit than the account holds.
    w.billing
        .catalogue()
        .createPlan(
            ACME,
            SubscriptionPlanDraft.builder(PlanId.of("tokens"), "Tokens")
                .cadence(Period.ofMonths(1))
                .price(Amount.of(USD, "5.00"))
                .allowance(Amount.of(dev.billingsdk.money.CreditUnit.of("TOKEN", 0), 10))
                .build(),
            ADMIN);
    refused(
        () ->
            w.subscriptions()
                .subscribe(request("e", PlanId.of("tokens")).savedMethod("c", "m").build()),
        "plan");
    assertThat(w.subscriptions().subscriptionsOf(ACME, CARA)).isEmpty();
    assertThat(w.provider.charged).isEmpty();
  }

  @Test
  void plan_changes_and_cancels_refuse_what_does_not_apply() {
    SubscriptionWorld w = world();
    SubscriptionId id = SubscriptionId.of("s");
    assertThatThrownBy(
            () -> w.subscriptions().changePlan(ACME, SubscriptionId.of("nope"), PRO, CUSTOMER, "x"))
        .isInstanceOf(SubscriptionNotFoundException.class)
        .hasMessageContaining("nope");
    w.subscriptions().subscribe(request("s", STARTER).savedMethod("cus_1", "pm_1").build());
    // Another cadence, a plan not sold in the currency, an archived plan.
    w.billing
        .catalogue()
        .createPlan(
            ACME,
            SubscriptionPlanDraft.builder(PlanId.of("yearly"), "Yearly")
                .cadence(Period.ofYears(1))
                .price(Amount.of(USD, "300.00"))
                .allowance(credits(1))
                .build(),
            ADMIN);
    refused(
        () -> w.subscriptions().changePlan(ACME, id, PlanId.of("yearly"), CUSTOMER, "x"), "plan");
    w.billing
        .catalogue()
        .createPlan(
            ACME,
            SubscriptionPlanDraft.builder(PlanId.of("euro"), "Euro")
                .cadence(Period.ofMonths(1))
                .price(Amount.of(dev.billingsdk.money.CurrencyUnit.of("EUR"), "50.00"))
                .allowance(credits(1))
                .build(),
            ADMIN);
    refused(() -> w.subscriptions().changePlan(ACME, id, PlanId.of("euro"), CUSTOMER, "x"), "plan");
    w.billing.catalogue().archivePlan(ACME, PRO, 1, ADMIN);
    assertThatThrownBy(() -> w.subscriptions().changePlan(ACME, id, PRO, CUSTOMER, "x"))
        .isInstanceOf(CatalogueItemArchivedException.class);
    assertThatThrownBy(
            () ->
                w.subscriptions()
                    .changePlan(
                        ACME,
                        id,
                        STARTER,
                        dev.billingsdk.Actor.of("x", dev.billingsdk.Role.PARTNER),
                        ""))
        .isInstanceOf(InvalidRequestException.class);
    // Cancelled at once, it is final: no change, no second cancel.
    Subscription canceled = w.subscriptions().cancel(ACME, id, false, CUSTOMER, "bye");
    assertThat(canceled.state()).isEqualTo(SubscriptionState.CANCELED);
    assertThat(canceled.endedAt()).contains(T0);
    refused(() -> w.subscriptions().cancel(ACME, id, true, CUSTOMER, "again"), "subscription");
    refused(() -> w.subscriptions().changePlan(ACME, id, STARTER, CUSTOMER, "x"), "subscription");
    assertThat(w.allowances()).hasSize(1); // its allowance stays until it expires
  }

  @Test
  void a_trial_canceled_at_period_end_ends_when_the_trial_does_and_charges_nothing() {
    SubscriptionWorld w = world();
    SubscriptionId id = SubscriptionId.of("t");
    w.subscriptions()
        .subscribe(
            request("t", STARTER).savedMethod("cus_1", "pm_1").trial(Duration.ofDays(7)).build());
    Subscription later = w.subscriptions().cancel(ACME, id, true, CUSTOMER, "not for me");
    assertThat(later.state()).isEqualTo(SubscriptionState.TRIALING);
    assertThat(later.cancelAtPeriodEnd()).isTrue();
    w.clock.set(T0.plus(Duration.ofDays(7)));
    w.renew();
    assertThat(w.subscription("t").state()).isEqualTo(SubscriptionState.CANCELED);
    assertThat(w.provider.charged).isEmpty();
  }

  @Test
  void a_past_due_subscription_canceled_at_period_end_ends_now() {
    SubscriptionWorld w = world();
    w.subscriptions().subscribe(request("p", STARTER).savedMethod("cus_1", "pm_1").build());
    w.provider.queue(new OffSessionOutcome.Declined("card_declined", ""));
    w.clock.set(Instant.parse("2026-06-01T00:00:00Z"));
    w.renew();
    assertThat(w.subscription("p").state()).isEqualTo(SubscriptionState.PAST_DUE);
    Subscription s = w.subscriptions().cancel(ACME, SubscriptionId.of("p"), true, CUSTOMER, "stop");
    assertThat(s.state()).isEqualTo(SubscriptionState.CANCELED);
  }

  @Test
  void
      a_saved_method_declined_at_once_never_starts_and_an_empty_schedule_cancels_at_the_first_failure() {
    SubscriptionWorld w = new SubscriptionWorld(T0, ZoneOffset.UTC, DunningSchedule.of());
    w.provider.queue(new OffSessionOutcome.Declined("card_declined", "Declined."));
    SubscriptionStarted first =
        w.subscriptions().subscribe(request("x", STARTER).savedMethod("cus_1", "pm_1").build());
    assertThat(first.subscription().state()).isEqualTo(SubscriptionState.EXPIRED);
    assertThat(first.detail()).contains("card_declined");
    w.subscriptions().subscribe(request("y", STARTER).savedMethod("cus_1", "pm_1").build());
    w.provider.queue(new OffSessionOutcome.Declined("card_declined", ""));
    w.clock.set(Instant.parse("2026-06-01T00:00:00Z"));
    w.renew();
    assertThat(w.subscription("y").state()).isEqualTo(SubscriptionState.CANCELED);
  }

  @Test
  void billing_refuses_subscriptions_without_what_they_need_and_unconfigured_parts_say_so() {
    InMemoryPurchaseStore purchases = InMemoryPurchaseStore.create();
    assertThatThrownBy(
            () ->
                Billing.builder()
                    .store(InMemoryBillingStore.create())
                    .catalogue(InMemoryCatalogueStore.create())
                    .purchases(purchases, purchases)
                    .paymentProvider(new RecurringProvider())
                    .subscriptions(InMemorySubscriptionStore.create(), DunningSchedule.standard())
                    .build())
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("subscriptions"));
    assertThatThrownBy(
            () ->
                Billing.builder()
                    .store(InMemoryBillingStore.create())
                    .autoTopUps(dev.billingsdk.memory.InMemoryTopUpStore.create())
                    .build())
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("autoTopUps"));
    Billing bare = Billing.builder().store(InMemoryBillingStore.create()).build();
    refused(bare::subscriptions, "subscriptions");
    refused(bare::autoTopUps, "autoTopUps");
    refused(bare::economy, "economy");
    refused(
        () ->
            Billing.builder()
                .economy(InMemoryEconomyStore.create())
                .economy(InMemoryEconomyStore.create()),
        "economy");
    // Only the host's system actor, admin or finance runs the renewal job.
    SubscriptionWorld w = world();
    assertThatThrownBy(() -> w.subscriptions().runRenewals(ACME, CUSTOMER))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(w.subscriptions().history(ACME, SubscriptionId.of("none"))).isEmpty();
  }
}
