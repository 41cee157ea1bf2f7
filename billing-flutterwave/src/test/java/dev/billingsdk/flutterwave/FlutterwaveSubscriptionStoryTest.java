package dev.billingsdk.flutterwave;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.flutterwave.testing.FakeFlutterwave;
import dev.billingsdk.flutterwave.testing.FakeTransaction;
import dev.billingsdk.flutterwave.testing.ReceivedRequest;
import dev.billingsdk.flutterwave.testing.WebhookDelivery;
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
import dev.billingsdk.purchase.StartCheckoutRequest;
import dev.billingsdk.purchase.WebhookOutcome;
import dev.billingsdk.purchase.WebhookOutcome.Effect;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.subscription.DunningSchedule;
import dev.billingsdk.subscription.RenewalRun;
import dev.billingsdk.subscription.SubscribeRequest;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionChange.Kind;
import dev.billingsdk.subscription.SubscriptionId;
import dev.billingsdk.subscription.SubscriptionStarted;
import dev.billingsdk.subscription.SubscriptionState;
import dev.billingsdk.testkit.TestClock;
import dev.billingsdk.topup.TopUpOutcome;
import dev.billingsdk.topup.TopUpRuleRequest;
import dev.billingsdk.topup.TopUpState;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions and auto-top-up end to end through {@link FlutterwavePaymentProvider} and {@link
 * FakeFlutterwave}, on core's in-memory stores: the first period paid on the hosted payment link
 * and activated by the verified return, renewals charged with the card token that payment saved
 * (once per period, a pending charge read back by the next run), and a top-up bought with a saved
 * token.
 */
class FlutterwaveSubscriptionStoryTest {
  static final TenantId ACME = TenantId.of("acme-ai");
  static final AccountId TEAM = AccountId.of("research-team");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit NGN = CurrencyUnit.of("NGN");
  static final Actor ADA = Actor.of("ada", Role.ADMIN);
  static final Actor BUYER = Actor.of("bob", Role.USER);
  static final Actor JOB = Actor.system("renewal-job");
  static final String EMAIL = "bob@example.com";
  static final URI OK = URI.create("https://app.example/billing/done");
  static final URI BACK = URI.create("https://app.example/billing");
  static final SubscriptionId SUB = SubscriptionId.of("team-pro");
  static final String FIRST = "team-pro-p0-a1";

  final TestClock clock = new TestClock(Instant.parse("2026-12-03T09:00:00Z"));
  FakeFlutterwave fake;
  Billing billing;

  @BeforeEach
  void world() {
    fake = FakeFlutterwave.builder().clock(clock).start();
    FlutterwavePaymentProvider flutterwave =
        FlutterwavePaymentProvider.builder(FlutterwaveSecretKey.of(fake.secretKey()))
            .webhookSecretHash(FlutterwaveSecretHash.of(fake.secretHash()))
            .baseUri(fake.baseUri())
            .clock(clock)
            .build();
    InMemoryPurchaseStore purchases = InMemoryPurchaseStore.create();
    billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(clock)
            .catalogue(InMemoryCatalogueStore.create())
            .purchases(purchases, purchases)
            .paymentProvider(flutterwave)
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
                EconomySettings.builder(
                        CreditPrice.of(Amount.of(CREDIT, 100), Amount.of(NGN, "1000.00")))
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
                .price(Amount.of(NGN, "15000.00"))
                .allowance(Amount.of(CREDIT, 4_000))
                .build(),
            ADA);
    billing
        .catalogue()
        .createPackage(
            ACME,
            CreditPackageDraft.builder(PackageId.of("boost"), "Boost")
                .credits(Amount.of(CREDIT, 5_000))
                .price(Amount.of(NGN, "45000.00"))
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

  WebhookOutcome deliver(WebhookDelivery d) {
    return billing
        .purchases()
        .handleWebhook(
            FlutterwavePaymentProvider.NAME,
            d.body().getBytes(StandardCharsets.UTF_8),
            d.headers());
  }

  Subscription subscription() {
    return billing.subscriptions().subscription(ACME, SUB).orElseThrow();
  }

  List<ReceivedRequest> tokenizedCharges() {
    return fake.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().equals("/v3/tokenized-charges"))
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

  /** Subscribes on the hosted link, pays it by card and returns; answers the paid transaction. */
  FakeTransaction subscribeAndReturn() {
    SubscriptionStarted started =
        billing
            .subscriptions()
            .subscribe(
                SubscribeRequest.builder(ACME, TEAM, SUB, PlanId.of("pro"), NGN)
                    .provider(FlutterwavePaymentProvider.NAME)
                    .hostedCheckout(OK, BACK)
                    .customerEmail(EMAIL)
                    .actor(BUYER)
                    .build());
    assertThat(started.subscription().state()).isEqualTo(SubscriptionState.INCOMPLETE);
    assertThat(started.checkoutUrl().orElseThrow().toString())
        .startsWith(fake.baseUri() + "/v3/hosted/pay/");
    clock.advance(Duration.ofMinutes(2));
    FakeTransaction paid = fake.pay(FIRST);
    assertThat(paid.token()).isNotNull();
    assertThat(
            billing
                .purchases()
                .handleReturn(FlutterwavePaymentProvider.NAME, fake.returnQueryFor(paid.id()))
                .effect())
        .isEqualTo(Effect.PAID);
    return paid;
  }

  @Test
  @DisplayName(
      "subscribed_on_the_hosted_link_activated_by_the_verified_return_then_renewed_with_the_token")
  void hostedCheckoutThenRenewal() {
    FakeTransaction paid = subscribeAndReturn();

    // The first payment was a one-time payment link, not a Flutterwave payment plan.
    ReceivedRequest link = fake.requests().get(0);
    assertThat(link.path()).isEqualTo("/v3/payments");
    assertThat(link.field("tx_ref")).contains(FIRST);
    assertThat(link.field("payment_plan")).isEmpty();
    assertThat((BigDecimal) link.field("amount").orElseThrow())
        .isEqualByComparingTo(new BigDecimal("15000"));

    Subscription active = subscription();
    assertThat(active.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(active.customer()).contains(EMAIL);
    assertThat(active.paymentMethod()).contains(paid.token());
    assertThat(allowances())
        .extracting(GrantBalance::remaining)
        .containsExactly(Amount.of(CREDIT, 4_000));
    // The webhook that follows the return adds nothing.
    assertThat(deliver(fake.webhookFor(paid.id())).effect()).isNotEqualTo(Effect.PAID);
    assertThat(allowances()).hasSize(1);
    assertThat(tokenizedCharges()).isEmpty();

    clock.advance(Duration.ofDays(31));
    assertThat(kinds(renew())).containsExactly(Kind.RENEWED);
    List<ReceivedRequest> charged = tokenizedCharges();
    assertThat(charged).hasSize(1);
    assertThat(charged.get(0).field("token")).contains(paid.token());
    assertThat(charged.get(0).field("email")).contains(EMAIL);
    assertThat(charged.get(0).field("tx_ref")).contains("team-pro-p1-a1");
    assertThat(charged.get(0).field("currency")).contains("NGN");
    assertThat((BigDecimal) charged.get(0).field("amount").orElseThrow())
        .isEqualByComparingTo(new BigDecimal("15000"));
    assertThat(fake.transactions("team-pro-p1-a1"))
        .extracting(FakeTransaction::status)
        .containsExactly("successful");
    Subscription renewed = subscription();
    assertThat(renewed.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(renewed.paidPeriods()).isEqualTo(2);
    assertThat(allowances()).hasSize(2);

    // A second run charges and grants nothing more.
    assertThat(renew().changes()).isEmpty();
    assertThat(tokenizedCharges()).hasSize(1);
    assertThat(allowances()).hasSize(2);
  }

  @Test
  @DisplayName("a_pending_renewal_charge_is_read_back_by_the_next_run_and_renewed_once_it_settles")
  void pendingRenewalSettles() {
    FakeTransaction paid = subscribeAndReturn();
    fake.pendingNext(paid.token());

    clock.advance(Duration.ofDays(31));
    assertThat(renew().changes()).isEmpty();
    assertThat(subscription().paidPeriods()).isEqualTo(1);
    List<FakeTransaction> pending = fake.transactions("team-pro-p1-a1");
    assertThat(pending).extracting(FakeTransaction::status).containsExactly("pending");

    clock.advance(Duration.ofMinutes(5));
    assertThat(renew().changes()).isEmpty(); // still pending: read, not charged again
    fake.settle(pending.get(0).id());
    clock.advance(Duration.ofMinutes(5));
    assertThat(kinds(renew())).containsExactly(Kind.RENEWED);
    assertThat(subscription().paidPeriods()).isEqualTo(2);
    assertThat(allowances()).hasSize(2);
    assertThat(tokenizedCharges()).hasSize(1);
    assertThat(
            billing
                .purchases()
                .purchase(ACME, PurchaseId.of("team-pro-p1-a1"))
                .orElseThrow()
                .state())
        .isEqualTo(PurchaseState.PAID);
  }

  @Test
  @DisplayName("a_charge_crossing_the_threshold_buys_the_package_once_with_the_saved_card_token")
  void autoTopUpPaid() {
    // A first package bought on the hosted link saves the card.
    billing
        .purchases()
        .startCheckout(
            StartCheckoutRequest.builder(ACME, TEAM, PurchaseId.of("team-boost-1"))
                .creditPackage(PackageId.of("boost"))
                .provider(FlutterwavePaymentProvider.NAME)
                .successUrl(OK)
                .cancelUrl(BACK)
                .customerEmail(EMAIL)
                .actor(BUYER)
                .build());
    FakeTransaction first = fake.pay("team-boost-1");
    assertThat(deliver(fake.webhookFor(first.id())).effect()).isEqualTo(Effect.PAID);
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 5_000));

    billing
        .autoTopUps()
        .configure(
            TopUpRuleRequest.builder(ACME, TEAM, Amount.of(CREDIT, 1_000))
                .creditPackage(PackageId.of("boost"))
                .provider(FlutterwavePaymentProvider.NAME)
                .savedMethod(EMAIL, first.token())
                .monthlyCap(Amount.of(NGN, "90000.00"))
                .actor(BUYER)
                .build());
    billing
        .credits()
        .charge(
            ChargeRequest.builder(ACME, TEAM, Charge.usage("llm", Amount.of(CREDIT, 4_100)))
                .idempotencyKey(IdempotencyKey.of("use-1"))
                .actor(Actor.system("gateway"))
                .reason("usage")
                .build());
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 900));

    List<TopUpOutcome> done = billing.autoTopUps().run(ACME, Actor.system("top-up-worker"));
    assertThat(done).extracting(TopUpOutcome::result).containsExactly(TopUpOutcome.Result.PAID);
    PurchaseId bought = done.get(0).purchase().orElseThrow();
    assertThat(billing.purchases().purchase(ACME, bought).orElseThrow().state())
        .isEqualTo(PurchaseState.PAID);
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 5_900));
    List<ReceivedRequest> charged = tokenizedCharges();
    assertThat(charged).hasSize(1);
    assertThat(charged.get(0).field("token")).contains(first.token());
    assertThat(charged.get(0).field("tx_ref")).contains(bought.value());
    assertThat(fake.transactions(bought.value()))
        .extracting(FakeTransaction::status)
        .containsExactly("successful");

    clock.advance(Duration.ofHours(2));
    assertThat(billing.autoTopUps().run(ACME, Actor.system("top-up-worker"))).isEmpty();
    assertThat(tokenizedCharges()).hasSize(1);
    assertThat(billing.autoTopUps().rule(ACME, TEAM).orElseThrow().state())
        .isEqualTo(TopUpState.ENABLED);
  }
}
