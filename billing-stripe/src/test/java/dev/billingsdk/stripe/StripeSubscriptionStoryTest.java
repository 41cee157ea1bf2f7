package dev.billingsdk.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlanDraft;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.memory.InMemorySubscriptionStore;
import dev.billingsdk.memory.InMemoryTopUpStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.WebhookOutcome;
import dev.billingsdk.purchase.WebhookOutcome.Effect;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.stripe.testing.FakeStripe;
import dev.billingsdk.stripe.testing.MutableClock;
import dev.billingsdk.stripe.testing.ReceivedRequest;
import dev.billingsdk.stripe.testing.WebhookDelivery;
import dev.billingsdk.subscription.DunningSchedule;
import dev.billingsdk.subscription.RenewalRun;
import dev.billingsdk.subscription.SubscribeRequest;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionChange.Kind;
import dev.billingsdk.subscription.SubscriptionId;
import dev.billingsdk.subscription.SubscriptionStarted;
import dev.billingsdk.subscription.SubscriptionState;
import dev.billingsdk.topup.TopUpOutcome;
import dev.billingsdk.topup.TopUpRuleRequest;
import dev.billingsdk.topup.TopUpState;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions and auto-top-up end to end through {@link StripePaymentProvider} and {@link
 * FakeStripe}, on core's in-memory stores: the first period paid on the hosted checkout (a one-time
 * payment saving the card), renewals and top-ups charged off-session on the saved card, a declined
 * renewal through the dunning schedule, a renewal that settles later, and a card that asks for
 * authentication.
 */
class StripeSubscriptionStoryTest {
  static final TenantId ACME = TenantId.of("acme-ai");
  static final AccountId TEAM = AccountId.of("research-team");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Actor ADA = Actor.of("ada", Role.ADMIN);
  static final Actor BUYER = Actor.of("bob", Role.USER);
  static final Actor JOB = Actor.system("renewal-job");
  static final Actor WORKER = Actor.system("top-up-worker");
  static final URI OK = URI.create("https://app.example/billing/done");
  static final URI BACK = URI.create("https://app.example/billing");
  static final SubscriptionId SUB = SubscriptionId.of("team-pro");
  static final ObjectMapper JSON = new ObjectMapper();

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T09:00:00Z"));
  final InMemoryBillingStore ledger = InMemoryBillingStore.create();
  final InMemoryPurchaseStore purchaseStore = InMemoryPurchaseStore.create();
  FakeStripe fake;
  Billing billing;

  @BeforeEach
  void world() {
    fake = FakeStripe.builder().clock(clock).start();
    StripePaymentProvider stripe =
        StripePaymentProvider.builder(StripeApiKey.of(fake.secretKey()))
            .webhookSecret(fake.webhookSecret())
            .baseUri(fake.baseUri())
            .clock(clock)
            .build();
    billing =
        Billing.builder()
            .store(ledger)
            .clock(clock)
            .catalogue(InMemoryCatalogueStore.create())
            .purchases(purchaseStore, purchaseStore)
            .paymentProvider(stripe)
            .economy(InMemoryEconomyStore.create())
            .subscriptions(InMemorySubscriptionStore.create(), DunningSchedule.standard())
            .autoTopUps(InMemoryTopUpStore.create())
            .build();
    billing
        .economy()
        .saveSettings(
            SettingsUpdate.of(
                ACME,
                0,
                EconomySettings.builder(CreditPrice.of(Amount.of(CREDIT, 100), Amount.of(USD, 1)))
                    .subscriptionsEnabled(true)
                    .build(),
                ADA,
                "subscriptions on"));
    billing
        .catalogue()
        .createPlan(
            ACME,
            SubscriptionPlanDraft.builder(PlanId.of("pro"), "Pro")
                .cadence(Period.ofMonths(1))
                .price(Amount.of(USD, "30.00"))
                .allowance(Amount.of(CREDIT, 4_000))
                .build(),
            ADA);
    billing
        .catalogue()
        .createPackage(
            ACME,
            CreditPackageDraft.builder(PackageId.of("boost"), "Boost")
                .credits(Amount.of(CREDIT, 5_000))
                .price(Amount.of(USD, "50.00"))
                .build(),
            ADA);
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(ACME, TEAM, CREDIT).actor(ADA).build());
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  static WebhookOutcome deliver(Billing through, WebhookDelivery d) {
    return through
        .purchases()
        .handleWebhook(
            "stripe",
            d.payload().getBytes(StandardCharsets.UTF_8),
            Map.of("Stripe-Signature", List.of(d.signatureHeader())));
  }

  Subscription subscription() {
    return billing.subscriptions().subscription(ACME, SUB).orElseThrow();
  }

  List<ReceivedRequest> intentsCreated() {
    return fake.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().equals("/v1/payment_intents"))
        .toList();
  }

  List<GrantBalance> allowances() {
    return billing.credits().grants(ACME, TEAM).stream()
        .filter(g -> g.grant().category().equals(GrantCategory.SUBSCRIPTION_ALLOWANCE))
        .toList();
  }

  Amount available() {
    return billing.credits().balance(ACME, TEAM).available();
  }

  RenewalRun renew() {
    return billing.subscriptions().runRenewals(ACME, JOB);
  }

  static List<Kind> kinds(RenewalRun run) {
    return run.changes().stream().map(SubscriptionChange::kind).toList();
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The id of the PaymentIntent the fake announced last with this event type. */
  String lastIntent(String eventType) {
    List<WebhookDelivery> all = fake.events();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).type().equals(eventType)) {
        return json(all.get(i).payload()).path("data").path("object").path("id").asText();
      }
    }
    throw new AssertionError("no " + eventType + " event");
  }

  /** Subscribes through the hosted checkout and pays it on the fake; returns the first intent. */
  JsonNode subscribeAndPay() {
    SubscriptionStarted started =
        billing
            .subscriptions()
            .subscribe(
                SubscribeRequest.builder(ACME, TEAM, SUB, PlanId.of("pro"), USD)
                    .provider("stripe")
                    .hostedCheckout(OK, BACK)
                    .customerEmail("bob@example.com")
                    .actor(BUYER)
                    .build());
    assertThat(started.subscription().state()).isEqualTo(SubscriptionState.INCOMPLETE);
    assertThat(started.checkoutUrl()).isPresent();
    String session =
        billing
            .purchases()
            .purchase(ACME, PurchaseId.of("team-pro-p0-a1"))
            .orElseThrow()
            .checkoutRef()
            .orElseThrow();
    clock.advance(Duration.ofMinutes(3));
    assertThat(deliver(billing, fake.pay(session)).effect()).isEqualTo(Effect.PAID);
    return json(fake.paymentIntent(fake.paymentIntentOf(session)).orElseThrow());
  }

  @Test
  @DisplayName(
      "subscribed_on_the_hosted_checkout_then_renewed_off_session_on_the_saved_card_once_per_period")
  void hostedCheckoutThenRenewal() {
    JsonNode firstIntent = subscribeAndPay();

    // The first checkout was a one-time payment that saved the card, not Stripe's own recurring
    // billing (which would charge each period twice).
    ReceivedRequest checkout = fake.requests().get(0);
    assertThat(checkout.path()).isEqualTo("/v1/checkout/sessions");
    assertThat(checkout.param("mode")).contains("payment");
    assertThat(checkout.param("payment_intent_data[setup_future_usage]")).contains("off_session");
    assertThat(checkout.param("line_items[0][price_data][unit_amount]")).contains("3000");
    assertThat(checkout.param("line_items[0][price_data][recurring][interval]")).isEmpty();

    String customer = firstIntent.get("customer").asText();
    String card = firstIntent.get("payment_method").asText();
    assertThat(customer).startsWith("cus_");
    assertThat(card).startsWith("pm_");
    Subscription active = subscription();
    assertThat(active.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(active.customer()).contains(customer);
    assertThat(active.paymentMethod()).contains(card);
    assertThat(active.paidPeriods()).isEqualTo(1);
    assertThat(allowances())
        .extracting(GrantBalance::remaining)
        .containsExactly(Amount.of(CREDIT, 4_000));
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 4_000));
    assertThat(intentsCreated()).isEmpty();
    // Nothing is due before the period ends.
    clock.advance(Duration.ofDays(30));
    assertThat(renew().changes()).isEmpty();
    assertThat(intentsCreated()).isEmpty();

    clock.advance(Duration.ofDays(1));
    fake.clearRequests();
    RenewalRun run = renew();
    assertThat(kinds(run)).containsExactly(Kind.RENEWED);
    List<ReceivedRequest> charged = intentsCreated();
    assertThat(charged).hasSize(1);
    ReceivedRequest renewal = charged.get(0);
    assertThat(renewal.param("off_session")).contains("true");
    assertThat(renewal.param("confirm")).contains("true");
    assertThat(renewal.param("customer")).contains(customer);
    assertThat(renewal.param("payment_method")).contains(card);
    assertThat(renewal.param("amount")).contains("3000");
    assertThat(renewal.param("currency")).contains("usd");
    assertThat(renewal.header("Idempotency-Key")).contains("off-session:team-pro-p1-a1");
    assertThat(
            billing
                .purchases()
                .purchase(ACME, PurchaseId.of("team-pro-p1-a1"))
                .orElseThrow()
                .state())
        .isEqualTo(PurchaseState.PAID);
    Subscription renewed = subscription();
    assertThat(renewed.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(renewed.paidPeriods()).isEqualTo(2);
    assertThat(allowances()).hasSize(2);
    assertThat(allowances())
        .filteredOn(g -> g.grant().expiresAt().filter(clock.instant()::isBefore).isPresent())
        .extracting(GrantBalance::remaining)
        .containsExactly(Amount.of(CREDIT, 4_000));

    // A second run (another instance, a retry) charges and grants nothing more.
    assertThat(renew().changes()).isEmpty();
    assertThat(intentsCreated()).hasSize(1);
    assertThat(allowances()).hasSize(2);
    assertThat(billing.subscriptions().history(ACME, SUB))
        .extracting(SubscriptionChange::kind)
        .containsExactly(Kind.CREATED, Kind.ACTIVATED, Kind.RENEWED);
  }

  @Test
  @DisplayName("a_declined_renewal_is_past_due_retried_on_the_dunning_schedule_then_canceled")
  void declinedThroughDunning() {
    JsonNode firstIntent = subscribeAndPay();
    String card = firstIntent.get("payment_method").asText();
    fake.declineCard(card, "insufficient_funds");
    fake.clearRequests();

    clock.advance(Duration.ofDays(31));
    assertThat(kinds(renew())).containsExactly(Kind.PAYMENT_FAILED);
    Subscription pastDue = subscription();
    assertThat(pastDue.state()).isEqualTo(SubscriptionState.PAST_DUE);
    assertThat(pastDue.failedAttempts()).isEqualTo(1);
    assertThat(pastDue.nextAttemptAt()).contains(pastDue.periodStart(1).plus(Duration.ofDays(1)));
    assertThat(allowances()).hasSize(1); // no allowance for the unpaid period
    assertThat(intentsCreated()).hasSize(1);

    // Not yet due again: nothing is charged.
    clock.advance(Duration.ofHours(12));
    assertThat(renew().changes()).isEmpty();
    assertThat(intentsCreated()).hasSize(1);

    clock.advance(Duration.ofHours(12));
    assertThat(kinds(renew())).containsExactly(Kind.PAYMENT_FAILED);
    clock.advance(Duration.ofDays(2));
    assertThat(kinds(renew())).containsExactly(Kind.PAYMENT_FAILED);
    assertThat(subscription().state()).isEqualTo(SubscriptionState.PAST_DUE);
    clock.advance(Duration.ofDays(4));
    assertThat(kinds(renew())).containsExactly(Kind.CANCELED);

    Subscription canceled = subscription();
    assertThat(canceled.state()).isEqualTo(SubscriptionState.CANCELED);
    assertThat(canceled.endedAt()).isPresent();
    assertThat(intentsCreated()).hasSize(4);
    assertThat(intentsCreated())
        .extracting(r -> r.header("Idempotency-Key").orElseThrow())
        .containsExactly(
            "off-session:team-pro-p1-a1",
            "off-session:team-pro-p1-a2",
            "off-session:team-pro-p1-a3",
            "off-session:team-pro-p1-a4");
    assertThat(allowances()).hasSize(1);
    clock.advance(Duration.ofDays(30));
    assertThat(renew().changes()).isEmpty();
    assertThat(intentsCreated()).hasSize(4);
  }

  @Test
  @DisplayName(
      "a_renewal_that_settles_later_and_bounces_is_past_due_and_the_retry_a_day_later_recovers")
  void processingRenewalFailsThenRetryRecovers() {
    JsonNode firstIntent = subscribeAndPay();
    String card = firstIntent.get("payment_method").asText();
    fake.settleLater(card);
    fake.clearRequests();

    clock.advance(Duration.ofDays(31));
    assertThat(renew().changes()).isEmpty(); // processing: nothing decided yet
    assertThat(subscription().state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(subscription().paidPeriods()).isEqualTo(1);
    String bounced = lastIntent("payment_intent.processing");
    fake.paymentIntentFails(bounced);

    clock.advance(Duration.ofMinutes(10));
    assertThat(kinds(renew())).containsExactly(Kind.PAYMENT_FAILED);
    assertThat(subscription().state()).isEqualTo(SubscriptionState.PAST_DUE);
    assertThat(allowances()).hasSize(1);
    assertThat(intentsCreated()).hasSize(1); // the bounced charge was read back, not charged again

    clock.advance(Duration.ofDays(1));
    assertThat(renew().changes()).isEmpty(); // the retry is processing
    String retry = lastIntent("payment_intent.processing");
    assertThat(retry).isNotEqualTo(bounced);
    assertThat(intentsCreated()).hasSize(2);
    fake.paymentIntentSucceeds(retry);

    clock.advance(Duration.ofMinutes(10));
    assertThat(kinds(renew())).containsExactly(Kind.RECOVERED);
    Subscription recovered = subscription();
    assertThat(recovered.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(recovered.paidPeriods()).isEqualTo(2);
    assertThat(recovered.failedAttempts()).isZero();
    assertThat(allowances()).hasSize(2);
    assertThat(
            billing
                .purchases()
                .purchase(ACME, PurchaseId.of("team-pro-p1-a2"))
                .orElseThrow()
                .state())
        .isEqualTo(PurchaseState.PAID);
    assertThat(renew().changes()).isEmpty();
    assertThat(intentsCreated()).hasSize(2);
  }

  void grant(AccountId account, long credits) {
    billing
        .credits()
        .grant(
            GrantRequest.builder(ACME, account, Amount.of(CREDIT, credits))
                .idempotencyKey(IdempotencyKey.of("opening-" + account.value()))
                .actor(ADA)
                .reason("opening balance")
                .build());
  }

  void spend(AccountId account, String key, long credits) {
    billing
        .credits()
        .charge(
            ChargeRequest.builder(ACME, account, Charge.usage("llm", Amount.of(CREDIT, credits)))
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(Actor.system("gateway"))
                .reason("usage")
                .build());
  }

  void rule(AccountId account, String customer, String card) {
    billing
        .autoTopUps()
        .configure(
            TopUpRuleRequest.builder(ACME, account, Amount.of(CREDIT, 1_000))
                .creditPackage(PackageId.of("boost"))
                .provider("stripe")
                .savedMethod(customer, card)
                .monthlyCap(Amount.of(USD, "200.00"))
                .cooldown(Duration.ofHours(1))
                .actor(Actor.of("owner", Role.USER))
                .build());
  }

  @Test
  @DisplayName(
      "a_charge_crossing_the_threshold_buys_the_package_once_off_session_on_the_saved_card")
  void autoTopUpPaid() {
    grant(TEAM, 1_500);
    rule(TEAM, "cus_Team0001", "pm_Team0001");
    assertThat(billing.autoTopUps().run(ACME, WORKER)).isEmpty(); // above the threshold
    spend(TEAM, "use-1", 600); // 900 left, below 1,000

    List<TopUpOutcome> done = billing.autoTopUps().run(ACME, WORKER);
    assertThat(done).extracting(TopUpOutcome::result).containsExactly(TopUpOutcome.Result.PAID);
    PurchaseId bought = done.get(0).purchase().orElseThrow();
    assertThat(billing.purchases().purchase(ACME, bought).orElseThrow().state())
        .isEqualTo(PurchaseState.PAID);
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 900 + 5_000));
    List<ReceivedRequest> charged = intentsCreated();
    assertThat(charged).hasSize(1);
    assertThat(charged.get(0).param("off_session")).contains("true");
    assertThat(charged.get(0).param("customer")).contains("cus_Team0001");
    assertThat(charged.get(0).param("payment_method")).contains("pm_Team0001");
    assertThat(charged.get(0).param("amount")).contains("5000");

    // The grant re-armed the alert: later runs buy nothing more.
    clock.advance(Duration.ofHours(2));
    assertThat(billing.autoTopUps().run(ACME, WORKER)).isEmpty();
    assertThat(intentsCreated()).hasSize(1);
    assertThat(billing.autoTopUps().rule(ACME, TEAM).orElseThrow().state())
        .isEqualTo(TopUpState.ENABLED);
    assertThat(billing.autoTopUps().rule(ACME, TEAM).orElseThrow().spent())
        .isEqualTo(Amount.of(USD, "50.00"));
  }

  @Test
  @DisplayName("a_card_that_asks_for_authentication_pauses_the_rule_and_nothing_is_granted")
  void autoTopUpNeedsAuthentication() {
    grant(TEAM, 1_500);
    rule(TEAM, "cus_Team0002", "pm_Team0002");
    fake.requireAuthentication("pm_Team0002");
    spend(TEAM, "use-1", 600);

    List<TopUpOutcome> done = billing.autoTopUps().run(ACME, WORKER);
    assertThat(done)
        .extracting(TopUpOutcome::result)
        .containsExactly(TopUpOutcome.Result.AUTHENTICATION_REQUIRED);
    assertThat(billing.autoTopUps().rule(ACME, TEAM).orElseThrow().state())
        .isEqualTo(TopUpState.PAUSED_FOR_AUTHENTICATION);
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 900));
    assertThat(intentsCreated()).hasSize(1);

    // Paused: later runs, past the cooldown and further below the threshold, buy nothing.
    clock.advance(Duration.ofHours(2));
    spend(TEAM, "use-2", 100);
    billing.autoTopUps().run(ACME, WORKER);
    assertThat(intentsCreated()).hasSize(1);
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 800));
  }
}
