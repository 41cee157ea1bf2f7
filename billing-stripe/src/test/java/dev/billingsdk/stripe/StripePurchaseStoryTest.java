package dev.billingsdk.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.purchase.CheckoutStarted;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.RefundOutcome;
import dev.billingsdk.purchase.RefundRequest;
import dev.billingsdk.purchase.ReturnOutcome;
import dev.billingsdk.purchase.StartCheckoutRequest;
import dev.billingsdk.purchase.WebhookOutcome;
import dev.billingsdk.purchase.WebhookOutcome.Effect;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.stripe.testing.FakeStripe;
import dev.billingsdk.stripe.testing.Fault;
import dev.billingsdk.stripe.testing.MutableClock;
import dev.billingsdk.stripe.testing.WebhookDelivery;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The library's purchase flow end to end through {@link StripePaymentProvider} and {@link
 * FakeStripe}, on core's in-memory stores: checkout, the hosted page paid, Stripe's signed webhooks
 * delivered (repeated, racing), delayed payments, refunds from the Dashboard and through the
 * library, an expired session, and a payment Stripe reports for another amount.
 */
class StripePurchaseStoryTest {
  static final TenantId ACME = TenantId.of("acme-ai");
  static final AccountId TEAM = AccountId.of("research-team");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Actor ADA = Actor.of("ada", Role.ADMIN);
  static final Actor BUYER = Actor.of("bob", Role.USER);
  static final URI OK = URI.create("https://app.example/paid");
  static final URI BACK = URI.create("https://app.example/pricing");

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T09:00:00Z"));
  final InMemoryBillingStore ledger = InMemoryBillingStore.create();
  final InMemoryCatalogueStore catalogueStore = InMemoryCatalogueStore.create();
  final InMemoryPurchaseStore purchaseStore = InMemoryPurchaseStore.create();
  FakeStripe fake;
  Billing billing;

  Billing instance() {
    StripePaymentProvider stripe =
        StripePaymentProvider.builder(StripeApiKey.of(fake.secretKey()))
            .webhookSecret(fake.webhookSecret())
            .baseUri(fake.baseUri())
            .clock(clock)
            .build();
    return Billing.builder()
        .store(ledger)
        .clock(clock)
        .catalogue(catalogueStore)
        .purchases(purchaseStore, purchaseStore)
        .paymentProvider(stripe)
        .build();
  }

  @BeforeEach
  void world() {
    fake = FakeStripe.builder().clock(clock).start();
    billing = instance();
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, TEAM, CREDIT)
                .actor(ADA)
                .overdraftPolicy(OverdraftPolicy.partial())
                .build());
    billing
        .catalogue()
        .createPackage(
            ACME,
            CreditPackageDraft.builder(PackageId.of("growth"), "Growth")
                .credits(Amount.of(CREDIT, 5_000))
                .bonusCredits(Amount.of(CREDIT, 1_000))
                .price(Amount.of(USD, "45.00"))
                .build(),
            ADA);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  String start(String purchase) {
    CheckoutStarted started =
        billing
            .purchases()
            .startCheckout(
                StartCheckoutRequest.builder(ACME, TEAM, PurchaseId.of(purchase))
                    .creditPackage(PackageId.of("growth"))
                    .provider("stripe")
                    .successUrl(OK)
                    .cancelUrl(BACK)
                    .actor(BUYER)
                    .build());
    assertThat(started.purchase().state()).isEqualTo(PurchaseState.PENDING);
    return started.purchase().checkoutRef().orElseThrow();
  }

  static WebhookOutcome deliver(Billing through, WebhookDelivery d) {
    return through
        .purchases()
        .handleWebhook(
            "stripe",
            d.payload().getBytes(StandardCharsets.UTF_8),
            Map.of("Stripe-Signature", List.of(d.signatureHeader())));
  }

  WebhookOutcome deliver(WebhookDelivery d) {
    return deliver(billing, d);
  }

  Purchase purchase(String id) {
    return billing.purchases().purchase(ACME, PurchaseId.of(id)).orElseThrow();
  }

  List<LedgerTransaction> transactions(TransactionType type) {
    return ledger.transactions(ACME, TEAM).stream().filter(t -> t.type() == type).toList();
  }

  Amount available() {
    return billing.credits().balance(ACME, TEAM).available();
  }

  @Test
  @DisplayName("the buyer returns before the webhook: the session is verified and paid, once")
  void returnBeforeWebhook() {
    String session = start("p-20");
    String successUrl = fake.requests().get(0).param("success_url").orElseThrow();
    assertThat(successUrl).isEqualTo(OK + "?session_id={CHECKOUT_SESSION_ID}");
    // Nothing paid yet: the return is verified and changes nothing, whatever it claims.
    ReturnOutcome early =
        billing
            .purchases()
            .handleReturn(
                "stripe", Map.of("session_id", List.of(session), "status", List.of("successful")));
    assertThat(early.effect()).isEqualTo(Effect.NO_CHANGE);
    WebhookDelivery completed = fake.pay(session);
    ReturnOutcome back =
        billing.purchases().handleReturn("stripe", Map.of("session_id", List.of(session)));
    assertThat(back.effect()).isEqualTo(Effect.PAID);
    assertThat(deliver(completed).effect()).isEqualTo(Effect.NO_CHANGE);
    assertThat(transactions(TransactionType.PURCHASE)).hasSize(1);
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 6_000));
    assertThat(billing.purchases().handleReturn("stripe", Map.of("session_id", List.of("x"))))
        .extracting(ReturnOutcome::effect)
        .isEqualTo(Effect.IGNORED);
  }

  @Test
  @DisplayName(
      "paid on the hosted page, the webhook delivered twice: one PURCHASE, credits + bonus")
  void paidOnce() {
    String session = start("p-1");
    assertThat(fake.requests().get(0).param("client_reference_id")).contains("p-1");
    assertThat(fake.requests().get(0).param("metadata[tenant]")).contains("acme-ai");
    clock.advance(Duration.ofMinutes(3));
    WebhookDelivery completed = fake.pay(session);

    WebhookOutcome first = deliver(completed);
    assertThat(first.effect()).isEqualTo(Effect.PAID);
    assertThat(first.purchase().orElseThrow().paymentRef()).contains(fake.paymentIntentOf(session));
    assertThat(deliver(completed).effect()).isEqualTo(Effect.DUPLICATE);

    assertThat(transactions(TransactionType.PURCHASE)).hasSize(1);
    List<GrantBalance> grants = billing.credits().grants(ACME, TEAM);
    assertThat(grants)
        .extracting(g -> g.grant().category(), GrantBalance::remaining)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(GrantCategory.PURCHASED, Amount.of(CREDIT, 5_000)),
            org.assertj.core.groups.Tuple.tuple(
                GrantCategory.PROMOTIONAL, Amount.of(CREDIT, 1_000)));
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 6_000));
  }

  @Test
  @DisplayName("the same webhook racing into two Billing instances on shared stores: one grant")
  void racingInstances() throws Exception {
    String session = start("p-2");
    WebhookDelivery completed = fake.pay(session);
    Billing second = instance();
    int threads = 4;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<WebhookOutcome>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Billing through = i % 2 == 0 ? billing : second;
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return deliver(through, completed);
                }));
      }
      go.countDown();
      long paid = 0;
      for (Future<WebhookOutcome> f : results) {
        if (f.get(30, TimeUnit.SECONDS).effect() == Effect.PAID) {
          paid++;
        }
      }
      assertThat(paid).isEqualTo(1L);
    } finally {
      pool.shutdownNow();
    }
    assertThat(transactions(TransactionType.PURCHASE)).hasSize(1);
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 6_000));
  }

  @Test
  @DisplayName("a delayed payment: completed unpaid changes nothing, then succeeded grants once")
  void delayedPaymentSucceeds() {
    String session = start("p-3");
    assertThat(deliver(fake.payLater(session)).effect()).isEqualTo(Effect.NO_CHANGE);
    assertThat(purchase("p-3").state()).isEqualTo(PurchaseState.PENDING);
    assertThat(transactions(TransactionType.PURCHASE)).isEmpty();
    clock.advance(Duration.ofDays(2));
    assertThat(deliver(fake.asyncPaymentSucceeds(session)).effect()).isEqualTo(Effect.PAID);
    assertThat(transactions(TransactionType.PURCHASE)).hasSize(1);
  }

  @Test
  @DisplayName("a delayed payment that fails: FAILED, nothing granted")
  void delayedPaymentFails() {
    String session = start("p-4");
    deliver(fake.payLater(session));
    assertThat(deliver(fake.asyncPaymentFails(session)).effect()).isEqualTo(Effect.FAILED);
    assertThat(purchase("p-4").state()).isEqualTo(PurchaseState.FAILED);
    assertThat(transactions(TransactionType.PURCHASE)).isEmpty();
  }

  @Test
  @DisplayName("an expired session: EXPIRED, nothing granted")
  void expired() {
    String session = start("p-5");
    assertThat(deliver(fake.expire(session)).effect()).isEqualTo(Effect.EXPIRED);
    assertThat(purchase("p-5").state()).isEqualTo(PurchaseState.EXPIRED);
    assertThat(transactions(TransactionType.PURCHASE)).isEmpty();
  }

  void spend(long credits) {
    billing
        .credits()
        .charge(
            ChargeRequest.builder(ACME, TEAM, Charge.usage("llm", Amount.of(CREDIT, credits)))
                .idempotencyKey(IdempotencyKey.of("spend-" + credits))
                .actor(Actor.system("gateway"))
                .reason("usage")
                .build());
  }

  @Test
  @DisplayName(
      "a Dashboard refund of a third after most credit was used: the unused is taken, once")
  void dashboardRefundAfterUse() {
    String session = start("p-6");
    deliver(fake.pay(session));
    spend(5_500); // 6,000 granted, 500 left
    String intent = fake.paymentIntentOf(session);
    WebhookDelivery refunded = fake.refundFromDashboard(intent, 1_500); // USD 15.00, a third

    WebhookOutcome outcome = deliver(refunded);
    assertThat(outcome.effect()).isEqualTo(Effect.REFUNDED);
    assertThat(outcome.purchase().orElseThrow().state())
        .isEqualTo(PurchaseState.PARTIALLY_REFUNDED);
    assertThat(outcome.purchase().orElseThrow().refunded()).isEqualTo(Amount.of(USD, "15.00"));
    assertThat(available()).isEqualTo(Amount.zero(CREDIT));
    // The same refund announced again (Stripe's refund.updated, charge.refunded): applied once.
    String refund = fake.refunds().get(0);
    assertThat(deliver(fake.signedEvent("refund.updated", refund)).effect())
        .isEqualTo(Effect.NO_CHANGE);
    assertThat(deliver(refunded).effect()).isEqualTo(Effect.DUPLICATE);
    assertThat(transactions(TransactionType.REFUND)).hasSize(1);
  }

  @Test
  @DisplayName("a refund through the library: Stripe refunds it, and its webhook adds nothing")
  void libraryRefund() {
    String session = start("p-7");
    deliver(fake.pay(session));
    RefundOutcome done =
        billing
            .purchases()
            .refund(
                RefundRequest.builder(ACME, PurchaseId.of("p-7"))
                    .amount(Amount.of(USD, "15.00"))
                    .idempotencyKey(IdempotencyKey.of("refund-p-7"))
                    .actor(ADA)
                    .reason("customer asked")
                    .build());
    assertThat(done.creditsTaken()).isEqualTo(Amount.of(CREDIT, 2_000));
    assertThat(fake.refunds()).hasSize(1);
    WebhookDelivery announced = fake.events().get(fake.events().size() - 1);
    assertThat(announced.type()).isEqualTo("refund.created");
    assertThat(deliver(announced).effect()).isEqualTo(Effect.NO_CHANGE);
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 4_000));
  }

  @Test
  @DisplayName("Stripe's API states another amount than the purchase: nothing granted, review")
  void amountMismatch() throws Exception {
    String session = start("p-8");
    WebhookDelivery completed = fake.pay(session);
    // The session as the API answers the re-read, with another total (a tampered Price, say).
    ObjectNode read = (ObjectNode) new ObjectMapper().readTree(fake.session(session).orElseThrow());
    read.put("amount_total", 450);
    fake.inject(Fault.status(200, read.toString()));

    WebhookOutcome outcome = deliver(completed);
    assertThat(outcome.effect()).isEqualTo(Effect.NEEDS_REVIEW);
    assertThat(purchase("p-8").needsReview()).isTrue();
    assertThat(purchase("p-8").state()).isEqualTo(PurchaseState.PENDING);
    assertThat(transactions(TransactionType.PURCHASE)).isEmpty();
  }

  @Test
  @DisplayName("a plan sold in subscription mode: a recurring price, PAID on completion, no grant")
  void planInSubscriptionMode() {
    billing
        .catalogue()
        .createPlan(
            ACME,
            SubscriptionPlanDraft.builder(PlanId.of("pro"), "Pro")
                .cadence(Period.ofMonths(1))
                .price(Amount.of(USD, "29.00"))
                .allowance(Amount.of(CREDIT, 10_000))
                .build(),
            ADA);
    CheckoutStarted started =
        billing
            .purchases()
            .startCheckout(
                StartCheckoutRequest.builder(ACME, TEAM, PurchaseId.of("p-10"))
                    .plan(PlanId.of("pro"), USD)
                    .provider("stripe")
                    .successUrl(OK)
                    .cancelUrl(BACK)
                    .actor(BUYER)
                    .build());
    var sent = fake.requests().get(0);
    assertThat(sent.param("mode")).contains("subscription");
    assertThat(sent.param("line_items[0][price_data][recurring][interval]")).contains("month");
    assertThat(sent.param("line_items[0][price_data][unit_amount]")).contains("2900");
    assertThat(sent.param("subscription_data[metadata][purchase]")).contains("p-10");

    String session = started.purchase().checkoutRef().orElseThrow();
    assertThat(deliver(fake.pay(session)).effect()).isEqualTo(Effect.PAID);
    assertThat(purchase("p-10").state()).isEqualTo(PurchaseState.PAID);
    assertThat(transactions(TransactionType.PURCHASE)).isEmpty();
  }

  @Test
  @DisplayName("a delivery with a forged signature is refused and nothing is stored")
  void forgedDelivery() {
    String session = start("p-9");
    fake.pay(session);
    WebhookDelivery forged =
        FakeStripe.signedEvent(
            "checkout.session.completed",
            fake.session(session).orElseThrow(),
            "whsec_Attacker000000000",
            clock);
    assertThatThrownBy(() -> deliver(forged)).isInstanceOf(WebhookRejectedException.class);
    assertThat(purchaseStore.find("stripe", forged.eventId())).isEmpty();
    assertThat(purchase("p-9").state()).isEqualTo(PurchaseState.PENDING);
  }
}
