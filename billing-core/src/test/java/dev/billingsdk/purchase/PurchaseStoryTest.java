package dev.billingsdk.purchase;

import static dev.billingsdk.purchase.ScriptedProvider.signed;
import static dev.billingsdk.purchase.ScriptedProvider.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CatalogueItemArchivedException;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.PurchaseUpdated;
import dev.billingsdk.event.PurchaseUpdated.Change;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.PaymentStatus;
import dev.billingsdk.payment.ProviderEvent.Kind;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.purchase.WebhookOutcome.Effect;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stories of money coming in, on an injected clock: a package bought and paid through a hosted
 * checkout, webhooks repeated and racing, delayed and failed payments, a payment that does not
 * match, refunds from the dashboard and through the library, an expired checkout.
 */
class PurchaseStoryTest {
  static final TenantId ACME = TenantId.of("acme-ai");
  static final AccountId TEAM = AccountId.of("research-team");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Actor ADA = Actor.of("ada", Role.ADMIN);
  static final Actor BUYER = Actor.of("bob", Role.USER);
  static final URI OK = URI.create("https://app.example/paid");
  static final URI BACK = URI.create("https://app.example/pricing");

  final TestClock clock = new TestClock(Instant.parse("2026-12-01T09:00:00Z"));
  final InMemoryBillingStore ledger = InMemoryBillingStore.create();
  final InMemoryCatalogueStore catalogueStore = InMemoryCatalogueStore.create();
  final InMemoryPurchaseStore purchaseStore = InMemoryPurchaseStore.create();
  final ScriptedProvider provider = new ScriptedProvider();
  final List<BillingEvent> events = new CopyOnWriteArrayList<>();
  Billing billing;

  Billing instance() {
    return Billing.builder()
        .store(ledger)
        .clock(clock)
        .catalogue(catalogueStore)
        .purchases(purchaseStore, purchaseStore)
        .paymentProvider(provider)
        .listener(events::add)
        .build();
  }

  @BeforeEach
  void world() {
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

  /** A checkout of {@code pkg} for {@code account}, as the buyer starts it. */
  static StartCheckoutRequest request(AccountId account, String purchase, String pkg) {
    return StartCheckoutRequest.builder(ACME, account, PurchaseId.of(purchase))
        .creditPackage(PackageId.of(pkg))
        .provider("scripted")
        .successUrl(OK)
        .cancelUrl(BACK)
        .actor(BUYER)
        .build();
  }

  CheckoutStarted start(String purchase) {
    return billing.purchases().startCheckout(request(TEAM, purchase, "growth"));
  }

  WebhookOutcome deliver(String eventId, Kind kind, String checkoutRef) {
    return billing
        .purchases()
        .handleWebhook("scripted", webhook(eventId, kind, checkoutRef), signed());
  }

  List<LedgerTransaction> purchaseTransactions() {
    return ledger.transactions(ACME, TEAM).stream()
        .filter(t -> t.type() == TransactionType.PURCHASE)
        .toList();
  }

  List<Change> changes() {
    return events.stream()
        .filter(e -> e instanceof PurchaseUpdated)
        .map(e -> ((PurchaseUpdated) e).change())
        .toList();
  }

  @Test
  @DisplayName("a package bought and paid: one PURCHASE transaction, credits at cost, bonus free")
  void boughtAndPaid() {
    CheckoutStarted started = start("p-1");
    assertThat(started.redirectUrl()).isEqualTo(URI.create("https://pay.example/cs_p-1"));
    assertThat(started.purchase().state()).isEqualTo(PurchaseState.PENDING);
    assertThat(provider.checkoutCalls.get(0).amount()).isEqualTo(Amount.of(USD, "45.00"));
    assertThat(provider.checkoutCalls.get(0).metadata()).containsEntry("tenant", "acme-ai");

    clock.advance(Duration.ofMinutes(3));
    provider.pay("cs_p-1", PaymentStatus.PAID, Amount.of(USD, "45.00"));
    WebhookOutcome outcome = deliver("evt_1", Kind.CHECKOUT_COMPLETED, "cs_p-1");

    assertThat(outcome.effect()).isEqualTo(Effect.PAID);
    Purchase paid = outcome.purchase().orElseThrow();
    assertThat(paid.state()).isEqualTo(PurchaseState.PAID);
    assertThat(paid.paymentRef()).contains("pi_cs_p-1");
    assertThat(purchaseTransactions()).hasSize(1);
    List<GrantBalance> grants = billing.credits().grants(ACME, TEAM);
    assertThat(grants).hasSize(2);
    GrantBalance bought =
        grants.stream()
            .filter(g -> g.grant().category().equals(GrantCategory.PURCHASED))
            .findFirst()
            .orElseThrow();
    assertThat(bought.remaining()).isEqualTo(Amount.of(CREDIT, 5_000));
    assertThat(bought.grant().costBasis().price().orElseThrow().cost())
        .isEqualTo(Amount.of(USD, "45.00"));
    assertThat(bought.grant().costBasis().price().orElseThrow().per())
        .isEqualTo(Amount.of(CREDIT, 5_000));
    GrantBalance bonus = grants.stream().filter(g -> g != bought).findFirst().orElseThrow();
    assertThat(bonus.remaining()).isEqualTo(Amount.of(CREDIT, 1_000));
    assertThat(bonus.grant().costBasis().isFree()).isTrue();
    assertThat(billing.credits().balance(ACME, TEAM).available())
        .isEqualTo(Amount.of(CREDIT, 6_000));
    assertThat(changes()).containsExactly(Change.CREATED, Change.PAID);
    assertThat(billing.purchases().history(ACME, PurchaseId.of("p-1")))
        .extracting(PurchaseTransition::to, PurchaseTransition::cause)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(PurchaseState.PENDING, "library:checkout"),
            org.assertj.core.groups.Tuple.tuple(PurchaseState.PAID, "scripted:evt_1"));
  }

  @Test
  @DisplayName("the same completed event twice, then concurrently to two instances: one grant")
  void sameEventTwiceAndRacing() throws Exception {
    start("p-2");
    provider.pay("cs_p-2", PaymentStatus.PAID, Amount.of(USD, "45.00"));
    assertThat(deliver("evt_2", Kind.CHECKOUT_COMPLETED, "cs_p-2").effect()).isEqualTo(Effect.PAID);
    assertThat(deliver("evt_2", Kind.CHECKOUT_COMPLETED, "cs_p-2").effect())
        .isEqualTo(Effect.DUPLICATE);

    start("p-3");
    provider.pay("cs_p-3", PaymentStatus.PAID, Amount.of(USD, "45.00"));
    Billing second = instance();
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<WebhookOutcome>> results = new java.util.ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Billing through = i % 2 == 0 ? billing : second;
        // Half deliver the same event, half a second event for the same payment.
        String eventId = i % 4 < 2 ? "evt_3" : "evt_3b";
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return through
                      .purchases()
                      .handleWebhook(
                          "scripted",
                          webhook(eventId, Kind.CHECKOUT_COMPLETED, "cs_p-3"),
                          signed());
                }));
      }
      go.countDown();
      long paid = 0;
      for (Future<WebhookOutcome> f : results) {
        if (f.get(30, TimeUnit.SECONDS).effect() == Effect.PAID) {
          paid++;
        }
      }
      assertThat(paid).as("deliveries that moved the purchase to PAID").isEqualTo(1L);
    } finally {
      pool.shutdownNow();
    }
    assertThat(purchaseTransactions()).hasSize(2); // one per purchase
    assertThat(billing.credits().balance(ACME, TEAM).available())
        .isEqualTo(Amount.of(CREDIT, 12_000));
    assertThat(changes().stream().filter(c -> c == Change.PAID)).hasSize(2);
  }

  @Test
  @DisplayName("a delayed payment: completed unpaid (nothing), then succeeded (one grant)")
  void delayedPaymentSucceeds() {
    start("p-4");
    provider.pay("cs_p-4", PaymentStatus.PENDING, Amount.of(USD, "45.00"));
    assertThat(deliver("evt_4a", Kind.CHECKOUT_COMPLETED, "cs_p-4").effect())
        .isEqualTo(Effect.NO_CHANGE);
    assertThat(purchaseTransactions()).isEmpty();
    clock.advance(Duration.ofDays(2));
    provider.pay("cs_p-4", PaymentStatus.PAID, Amount.of(USD, "45.00"));
    assertThat(deliver("evt_4b", Kind.PAYMENT_SUCCEEDED, "cs_p-4").effect()).isEqualTo(Effect.PAID);
    // A late repeat of the first event changes nothing: the provider now says paid, already done.
    assertThat(deliver("evt_4a-again", Kind.CHECKOUT_COMPLETED, "cs_p-4").effect())
        .isEqualTo(Effect.NO_CHANGE);
    assertThat(purchaseTransactions()).hasSize(1);
  }

  @Test
  @DisplayName("a delayed payment that fails: no grant, the purchase FAILED")
  void delayedPaymentFails() {
    start("p-5");
    provider.pay("cs_p-5", PaymentStatus.PENDING, Amount.of(USD, "45.00"));
    deliver("evt_5a", Kind.CHECKOUT_COMPLETED, "cs_p-5");
    provider.pay("cs_p-5", PaymentStatus.FAILED, Amount.of(USD, "45.00"));
    assertThat(deliver("evt_5b", Kind.PAYMENT_FAILED, "cs_p-5").effect()).isEqualTo(Effect.FAILED);
    assertThat(billing.purchases().purchase(ACME, PurchaseId.of("p-5")).orElseThrow().state())
        .isEqualTo(PurchaseState.FAILED);
    assertThat(purchaseTransactions()).isEmpty();
    assertThat(changes()).containsExactly(Change.CREATED, Change.FAILED);
  }

  @Test
  @DisplayName("the event says paid, the API says another amount: nothing granted, review event")
  void amountMismatch() {
    start("p-6");
    provider.pay("cs_p-6", PaymentStatus.PAID, Amount.of(USD, "4.50"));
    assertThat(deliver("evt_6", Kind.CHECKOUT_COMPLETED, "cs_p-6").effect())
        .isEqualTo(Effect.NEEDS_REVIEW);
    Purchase p = billing.purchases().purchase(ACME, PurchaseId.of("p-6")).orElseThrow();
    assertThat(p.needsReview()).isTrue();
    assertThat(p.state()).isEqualTo(PurchaseState.PENDING);
    assertThat(purchaseTransactions()).isEmpty();
    assertThat(changes()).containsExactly(Change.CREATED, Change.NEEDS_REVIEW);
    PurchaseUpdated review = (PurchaseUpdated) events.get(events.size() - 1);
    assertThat(review.detail()).contains("USD 4.50", "USD 45.00");
  }

  @Test
  @DisplayName("a checkout that expires unpaid: EXPIRED, nothing granted")
  void expired() {
    start("p-7");
    provider.pay("cs_p-7", PaymentStatus.EXPIRED, Amount.of(USD, "45.00"));
    assertThat(deliver("evt_7", Kind.CHECKOUT_EXPIRED, "cs_p-7").effect())
        .isEqualTo(Effect.EXPIRED);
    assertThat(billing.purchases().purchase(ACME, PurchaseId.of("p-7")).orElseThrow().state())
        .isEqualTo(PurchaseState.EXPIRED);
    assertThat(purchaseTransactions()).isEmpty();
  }

  void payFor(String purchase) {
    start(purchase);
    provider.pay("cs_" + purchase, PaymentStatus.PAID, Amount.of(USD, "45.00"));
    deliver("evt_pay_" + purchase, Kind.CHECKOUT_COMPLETED, "cs_" + purchase);
  }

  void spend(long credits) {
    billing
        .credits()
        .charge(
            ChargeRequest.builder(ACME, TEAM, Charge.usage("llm", Amount.of(CREDIT, credits)))
                .idempotencyKey(IdempotencyKey.of("spend-" + credits + "-" + clock.instant()))
                .actor(Actor.system("gateway"))
                .reason("usage")
                .build());
  }

  @Test
  @DisplayName(
      "a dashboard refund of a third after most credit was used: what is left is taken, the rest reported, once")
  void dashboardRefundAfterUse() {
    payFor("p-8");
    spend(5_500); // 6,000 granted, 500 left
    provider.refundInDashboard("cs_p-8", Amount.of(USD, "15.00")); // a third: 2,000 credits
    WebhookOutcome first = deliver("evt_8", Kind.REFUNDED, "cs_p-8");
    assertThat(first.effect()).isEqualTo(Effect.REFUNDED);
    Purchase p = first.purchase().orElseThrow();
    assertThat(p.state()).isEqualTo(PurchaseState.PARTIALLY_REFUNDED);
    assertThat(p.refunded()).isEqualTo(Amount.of(USD, "15.00"));
    assertThat(billing.credits().balance(ACME, TEAM).available()).isEqualTo(Amount.zero(CREDIT));
    PurchaseUpdated refunded = (PurchaseUpdated) events.get(events.size() - 1);
    assertThat(refunded.change()).isEqualTo(Change.REFUNDED);
    // 500 unused taken back; the partial overdraft policy allows no debt, so 1,500 are reported.
    assertThat(refunded.unrecovered()).isEqualTo(Amount.of(CREDIT, 1_500));
    // The same refund reported again, by another event: applied once.
    assertThat(deliver("evt_8b", Kind.REFUNDED, "cs_p-8").effect()).isEqualTo(Effect.NO_CHANGE);
    assertThat(
            ledger.transactions(ACME, TEAM).stream()
                .filter(t -> t.type() == TransactionType.REFUND))
        .hasSize(1);
    assertThat(billing.purchases().purchase(ACME, PurchaseId.of("p-8")).orElseThrow().refunded())
        .isEqualTo(Amount.of(USD, "15.00"));
  }

  @Test
  @DisplayName("refunds in parts add up to the whole: three thirds take exactly all 6,000 credits")
  void refundsInPartsAddUp() {
    payFor("p-9");
    for (int i = 1; i <= 3; i++) {
      provider.refundInDashboard("cs_p-9", Amount.of(USD, "15.00"));
      deliver("evt_9_" + i, Kind.REFUNDED, "cs_p-9");
    }
    Purchase p = billing.purchases().purchase(ACME, PurchaseId.of("p-9")).orElseThrow();
    assertThat(p.state()).isEqualTo(PurchaseState.REFUNDED);
    assertThat(billing.credits().balance(ACME, TEAM).available()).isEqualTo(Amount.zero(CREDIT));
  }

  @Test
  @DisplayName("a library refund beyond the unused credit is refused before the provider is called")
  void libraryRefundBeyondUnusedIsRefused() {
    payFor("p-10");
    spend(5_000); // 1,000 left; a full refund would take 6,000
    RefundRequest all =
        RefundRequest.builder(ACME, PurchaseId.of("p-10"))
            .idempotencyKey(IdempotencyKey.of("refund-p-10"))
            .actor(ADA)
            .reason("customer asked")
            .build();
    assertThatThrownBy(() -> billing.purchases().refund(all))
        .isInstanceOfSatisfying(
            RefundExceedsUnusedCreditException.class,
            e -> {
              assertThat(e.creditsToTake()).isEqualTo(Amount.of(CREDIT, 6_000));
              assertThat(e.unused()).isEqualTo(Amount.of(CREDIT, 1_000));
            });
    assertThat(provider.refundCalls).isEmpty();
    RefundOutcome small =
        billing
            .purchases()
            .refund(
                RefundRequest.builder(ACME, PurchaseId.of("p-10"))
                    .amount(Amount.of(USD, "7.50")) // 1,000 credits
                    .idempotencyKey(IdempotencyKey.of("refund-p-10-b"))
                    .actor(ADA)
                    .reason("goodwill")
                    .build());
    assertThat(small.creditsTaken()).isEqualTo(Amount.of(CREDIT, 1_000));
    assertThat(small.purchase().state()).isEqualTo(PurchaseState.PARTIALLY_REFUNDED);
    // Told to go beyond the unused credit, a refund takes the rest from the account's other credit.
    payFor("p-10b");
    RefundOutcome beyond =
        billing
            .purchases()
            .refund(
                RefundRequest.builder(ACME, PurchaseId.of("p-10"))
                    .idempotencyKey(IdempotencyKey.of("refund-p-10-c"))
                    .actor(ADA)
                    .reason("customer asked, spent or not")
                    .beyondUnused(RefundRequest.BeyondUnused.TAKE_FROM_ACCOUNT)
                    .build());
    assertThat(beyond.creditsTaken()).isEqualTo(Amount.of(CREDIT, 5_000));
    assertThat(beyond.purchase().state()).isEqualTo(PurchaseState.REFUNDED);
    assertThat(billing.credits().balance(ACME, TEAM).available())
        .isEqualTo(Amount.of(CREDIT, 1_000));
    // The provider's webhook for our own refunds applies nothing more.
    assertThat(deliver("evt_10", Kind.REFUNDED, "cs_p-10").effect()).isEqualTo(Effect.NO_CHANGE);
    assertThat(billing.credits().balance(ACME, TEAM).available())
        .isEqualTo(Amount.of(CREDIT, 1_000));
  }

  @Test
  @DisplayName(
      "a delivery stored by a process that died before finishing is processed when repeated")
  void storedButUnprocessedIsFinished() {
    start("p-11");
    provider.pay("cs_p-11", PaymentStatus.PAID, Amount.of(USD, "45.00"));
    provider.fetchFailures.set(1);
    assertThatThrownBy(() -> deliver("evt_11", Kind.CHECKOUT_COMPLETED, "cs_p-11"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(purchaseStore.find("scripted", "evt_11")).isPresent();
    assertThat(deliver("evt_11", Kind.CHECKOUT_COMPLETED, "cs_p-11").effect())
        .isEqualTo(Effect.PAID);
    assertThat(purchaseTransactions()).hasSize(1);
  }

  @Test
  @DisplayName("a delivery that does not verify is refused and nothing is stored")
  void rejectedDelivery() {
    start("p-12");
    byte[] body = webhook("evt_12", Kind.CHECKOUT_COMPLETED, "cs_p-12");
    assertThatThrownBy(
            () ->
                billing
                    .purchases()
                    .handleWebhook("scripted", body, Map.of("x-signature", List.of("forged"))))
        .isInstanceOf(WebhookRejectedException.class);
    assertThat(purchaseStore.find("scripted", "evt_12")).isEmpty();
    assertThatThrownBy(() -> billing.purchases().handleWebhook("paypal", body, signed()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("provider"));
  }

  @Test
  @DisplayName(
      "starting the same purchase again returns the same checkout; another item under its id is refused")
  void startAgain() {
    CheckoutStarted first = start("p-13");
    CheckoutStarted again = start("p-13");
    assertThat(again.redirectUrl()).isEqualTo(first.redirectUrl());
    assertThat(again.purchase()).isEqualTo(first.purchase());
    assertThat(changes()).containsExactly(Change.CREATED);
    billing
        .catalogue()
        .createPackage(
            ACME,
            CreditPackageDraft.builder(PackageId.of("starter"), "Starter")
                .credits(Amount.of(CREDIT, 1_000))
                .price(Amount.of(USD, "10.00"))
                .build(),
            ADA);
    assertThatThrownBy(() -> billing.purchases().startCheckout(request(TEAM, "p-13", "starter")))
        .isInstanceOf(PurchaseConflictException.class);
    billing.catalogue().archivePackage(ACME, PackageId.of("starter"), 1, ADA);
    assertThatThrownBy(() -> billing.purchases().startCheckout(request(TEAM, "p-14", "starter")))
        .isInstanceOf(CatalogueItemArchivedException.class);
    assertThat(billing.purchases().purchase(ACME, PurchaseId.of("p-14"))).isEmpty();
  }

  @Test
  @DisplayName(
      "a plan's first period: a subscription checkout in the chosen currency, no credit granted")
  void planFirstPeriod() {
    billing
        .catalogue()
        .createPlan(
            ACME,
            dev.billingsdk.catalogue.SubscriptionPlanDraft.builder(
                    dev.billingsdk.catalogue.PlanId.of("pro"), "Pro")
                .cadence(java.time.Period.ofMonths(1))
                .price(Amount.of(USD, "29.00"))
                .allowance(Amount.of(CREDIT, 10_000))
                .build(),
            ADA);
    StartCheckoutRequest.Builder b =
        StartCheckoutRequest.builder(ACME, TEAM, PurchaseId.of("sub-1"))
            .plan(dev.billingsdk.catalogue.PlanId.of("pro"), USD)
            .provider("scripted")
            .successUrl(OK)
            .cancelUrl(BACK)
            .actor(BUYER)
            .customerEmail("bob@example.com")
            .saveForOffSession(true);
    CheckoutStarted started = billing.purchases().startCheckout(b.build());
    assertThat(provider.checkoutCalls.get(0).recurring()).contains(java.time.Period.ofMonths(1));
    assertThat(provider.checkoutCalls.get(0).saveForOffSession()).isTrue();
    provider.pay("cs_sub-1", PaymentStatus.PAID, Amount.of(USD, "29.00"));
    assertThat(deliver("evt_sub", Kind.CHECKOUT_COMPLETED, "cs_sub-1").effect())
        .isEqualTo(Effect.PAID);
    assertThat(purchaseTransactions()).isEmpty();
    assertThat(started.purchase().item().kind())
        .isEqualTo(dev.billingsdk.catalogue.CatalogueItem.Kind.SUBSCRIPTION_PLAN);
    // A refund of a plan purchase takes no credit back.
    RefundOutcome r =
        billing
            .purchases()
            .refund(
                RefundRequest.builder(ACME, PurchaseId.of("sub-1"))
                    .idempotencyKey(IdempotencyKey.of("r-sub"))
                    .actor(ADA)
                    .reason("trial")
                    .build());
    assertThat(r.purchase().state()).isEqualTo(PurchaseState.REFUNDED);
    assertThat(r.creditsTaken().isZero()).isTrue();
    StartCheckoutRequest inEuros =
        StartCheckoutRequest.builder(ACME, TEAM, PurchaseId.of("sub-2"))
            .plan(dev.billingsdk.catalogue.PlanId.of("pro"), CurrencyUnit.of("EUR"))
            .provider("scripted")
            .successUrl(OK)
            .cancelUrl(BACK)
            .actor(BUYER)
            .build();
    assertThatThrownBy(() -> billing.purchases().startCheckout(inEuros))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("planCurrency"));
  }

  @Test
  @DisplayName(
      "a dashboard refund after all credit is spent, on an account that may owe: the share becomes debt")
  void refundIntoAllowedDebt() {
    AccountId owing = AccountId.of("may-owe");
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, owing, CREDIT)
                .actor(ADA)
                .overdraftPolicy(OverdraftPolicy.allowDownTo(Amount.of(CREDIT, 1_000)))
                .build());
    billing.purchases().startCheckout(request(owing, "p-20", "growth"));
    provider.pay("cs_p-20", PaymentStatus.PAID, Amount.of(USD, "45.00"));
    deliver("evt_20", Kind.CHECKOUT_COMPLETED, "cs_p-20");
    billing
        .credits()
        .charge(
            ChargeRequest.builder(ACME, owing, Charge.usage("llm", Amount.of(CREDIT, 6_000)))
                .idempotencyKey(IdempotencyKey.of("spend-all"))
                .actor(Actor.system("gateway"))
                .reason("usage")
                .build());
    provider.refundInDashboard("cs_p-20", Amount.of(USD, "15.00")); // 2,000 credits
    assertThat(deliver("evt_20r", Kind.REFUNDED, "cs_p-20").effect()).isEqualTo(Effect.REFUNDED);
    assertThat(billing.credits().balance(ACME, owing).owed()).isEqualTo(Amount.of(CREDIT, 1_000));
    PurchaseUpdated refunded = (PurchaseUpdated) events.get(events.size() - 1);
    assertThat(refunded.unrecovered()).isEqualTo(Amount.of(CREDIT, 1_000));
  }

  @Test
  @DisplayName(
      "library refunds of what cannot be refunded are refused by type, and nothing is called")
  void libraryRefundRefusals() {
    start("p-21");
    RefundRequest.Builder unpaid =
        RefundRequest.builder(ACME, PurchaseId.of("p-21"))
            .idempotencyKey(IdempotencyKey.of("r21"))
            .actor(ADA)
            .reason("x");
    assertThatThrownBy(() -> billing.purchases().refund(unpaid.build()))
        .isInstanceOf(PurchaseConflictException.class);
    payFor("p-22");
    assertThatThrownBy(
            () ->
                billing
                    .purchases()
                    .refund(
                        RefundRequest.builder(ACME, PurchaseId.of("p-22"))
                            .amount(Amount.of(USD, "45.01"))
                            .idempotencyKey(IdempotencyKey.of("r22"))
                            .actor(ADA)
                            .reason("x")
                            .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("amount"));
    assertThatThrownBy(
            () ->
                billing
                    .purchases()
                    .refund(
                        RefundRequest.builder(ACME, PurchaseId.of("nope"))
                            .idempotencyKey(IdempotencyKey.of("r23"))
                            .actor(ADA)
                            .reason("x")
                            .build()))
        .isInstanceOf(PurchaseNotFoundException.class);
    assertThatThrownBy(
            () ->
                billing
                    .purchases()
                    .refund(
                        RefundRequest.builder(ACME, PurchaseId.of("p-22"))
                            .idempotencyKey(IdempotencyKey.of("r24"))
                            .actor(BUYER)
                            .reason("x")
                            .build()))
        .isInstanceOf(dev.billingsdk.AccessDeniedException.class);
    assertThat(provider.refundCalls).isEmpty();
  }

  @Test
  @DisplayName("events of no purchase, and of no concern, are acknowledged without effect")
  void ignored() {
    assertThat(deliver("evt_30", Kind.CHECKOUT_COMPLETED, "cs_unknown").effect())
        .isEqualTo(Effect.IGNORED);
    payFor("p-31");
    assertThat(deliver("evt_31", Kind.OTHER, "cs_p-31").effect()).isEqualTo(Effect.IGNORED);
    assertThat(purchaseStore.find("scripted", "evt_31").orElseThrow().outcome())
        .contains("IGNORED");
    // Paid, then the provider reports the checkout expired: nothing moves back.
    assertThat(deliver("evt_32", Kind.CHECKOUT_EXPIRED, "cs_p-31").effect())
        .isEqualTo(Effect.NO_CHANGE);
    assertThat(billing.purchases().purchase(ACME, PurchaseId.of("p-31")).orElseThrow().state())
        .isEqualTo(PurchaseState.PAID);
  }

  @Test
  @DisplayName("a refund in another currency does not fit the purchase: nothing taken, review")
  void refundThatDoesNotFit() {
    payFor("p-33");
    provider.refundInDashboard("cs_p-33", Amount.of(CurrencyUnit.of("EUR"), "5.00"));
    assertThat(deliver("evt_33", Kind.REFUNDED, "cs_p-33").effect()).isEqualTo(Effect.NEEDS_REVIEW);
    Purchase p = billing.purchases().purchase(ACME, PurchaseId.of("p-33")).orElseThrow();
    assertThat(p.needsReview()).isTrue();
    assertThat(p.state()).isEqualTo(PurchaseState.PAID);
    assertThat(billing.credits().balance(ACME, TEAM).available())
        .isEqualTo(Amount.of(CREDIT, 6_000));
  }

  @Test
  @DisplayName(
      "a dashboard refund made before the payment was processed is applied with the payment")
  void refundBeforePaymentProcessed() {
    start("p-40");
    provider.pay("cs_p-40", PaymentStatus.PAID, Amount.of(USD, "45.00"));
    provider.refundInDashboard("cs_p-40", Amount.of(USD, "15.00"));
    // The refund's own event names only the payment, which no purchase is known by yet.
    assertThat(
            billing
                .purchases()
                .handleWebhook(
                    "scripted",
                    "evt_40r|REFUNDED||pi_cs_p-40"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    signed())
                .effect())
        .isEqualTo(Effect.IGNORED);
    assertThat(deliver("evt_40", Kind.CHECKOUT_COMPLETED, "cs_p-40").effect())
        .isEqualTo(Effect.PAID);
    Purchase p = billing.purchases().purchase(ACME, PurchaseId.of("p-40")).orElseThrow();
    assertThat(p.state()).isEqualTo(PurchaseState.PARTIALLY_REFUNDED);
    assertThat(billing.credits().balance(ACME, TEAM).available())
        .isEqualTo(Amount.of(CREDIT, 4_000));
  }

  // ------------------------------------------------------------------ verified like Flutterwave

  @Test
  @DisplayName("a failed attempt, then a paid one on the same checkout: FAILED, then PAID once")
  void failedThenPaid() {
    start("p-50");
    provider.pay("cs_p-50", PaymentStatus.FAILED, Amount.of(USD, "45.00"));
    assertThat(deliver("evt_50a", Kind.PAYMENT_FAILED, "cs_p-50").effect())
        .isEqualTo(Effect.FAILED);
    provider.pay("cs_p-50", PaymentStatus.PAID, Amount.of(USD, "45.00"));
    assertThat(deliver("evt_50b", Kind.CHECKOUT_COMPLETED, "cs_p-50").effect())
        .isEqualTo(Effect.PAID);
    assertThat(deliver("evt_50c", Kind.CHECKOUT_COMPLETED, "cs_p-50").effect())
        .isEqualTo(Effect.NO_CHANGE);
    assertThat(billing.purchases().purchase(ACME, PurchaseId.of("p-50")).orElseThrow().state())
        .isEqualTo(PurchaseState.PAID);
    assertThat(purchaseTransactions()).hasSize(1);
    assertThat(changes()).containsExactly(Change.CREATED, Change.FAILED, Change.PAID);
  }

  @Test
  @DisplayName("paid more than the price: paid and granted once, the transition names the excess")
  void overpaid() {
    start("p-51");
    provider.pay("cs_p-51", PaymentStatus.PAID, Amount.of(USD, "50.00"));
    assertThat(deliver("evt_51", Kind.CHECKOUT_COMPLETED, "cs_p-51").effect())
        .isEqualTo(Effect.PAID);
    assertThat(billing.credits().balance(ACME, TEAM).available())
        .isEqualTo(Amount.of(CREDIT, 6_000));
    List<PurchaseTransition> history = billing.purchases().history(ACME, PurchaseId.of("p-51"));
    assertThat(history.get(history.size() - 1).detail())
        .isEqualTo("paid USD 50.00, more than the price USD 45.00");
  }

  @Test
  @DisplayName("paid the price's number in another currency: nothing granted, review")
  void otherCurrency() {
    start("p-52");
    provider.pay("cs_p-52", PaymentStatus.PAID, Amount.of(CurrencyUnit.of("NGN"), "45.00"));
    assertThat(deliver("evt_52", Kind.CHECKOUT_COMPLETED, "cs_p-52").effect())
        .isEqualTo(Effect.NEEDS_REVIEW);
    assertThat(purchaseTransactions()).isEmpty();
    PurchaseUpdated review = (PurchaseUpdated) events.get(events.size() - 1);
    assertThat(review.detail()).isEqualTo("paid in NGN, the purchase is USD 45.00");
  }

  @Test
  @DisplayName("the buyer's return says successful; the API says open: nothing granted")
  void returnStatusNotBelieved() {
    start("p-53");
    ReturnOutcome back =
        billing
            .purchases()
            .handleReturn(
                "scripted",
                Map.of("checkout", List.of("cs_p-53"), "status", List.of("successful")));
    assertThat(back.effect()).isEqualTo(Effect.NO_CHANGE);
    assertThat(back.purchase().orElseThrow().state()).isEqualTo(PurchaseState.PENDING);
    assertThat(purchaseTransactions()).isEmpty();
  }

  @Test
  @DisplayName("the return and the webhook both confirm a payment: granted once, by the first")
  void returnThenWebhook() {
    start("p-54");
    provider.pay("cs_p-54", PaymentStatus.PAID, Amount.of(USD, "45.00"));
    ReturnOutcome back =
        billing.purchases().handleReturn("scripted", Map.of("checkout", List.of("cs_p-54")));
    assertThat(back.effect()).isEqualTo(Effect.PAID);
    assertThat(back.purchase().orElseThrow().state()).isEqualTo(PurchaseState.PAID);
    assertThat(deliver("evt_54", Kind.CHECKOUT_COMPLETED, "cs_p-54").effect())
        .isEqualTo(Effect.NO_CHANGE);
    assertThat(
            billing
                .purchases()
                .handleReturn("scripted", Map.of("checkout", List.of("cs_p-54")))
                .effect())
        .isEqualTo(Effect.NO_CHANGE);
    assertThat(purchaseTransactions()).hasSize(1);
    assertThat(billing.credits().balance(ACME, TEAM).available())
        .isEqualTo(Amount.of(CREDIT, 6_000));
  }

  @Test
  @DisplayName("a return naming nothing, or no purchase of ours, is ignored")
  void returnNamingNothing() {
    assertThat(billing.purchases().handleReturn("scripted", Map.of()).effect())
        .isEqualTo(Effect.IGNORED);
    ReturnOutcome unknown =
        billing.purchases().handleReturn("scripted", Map.of("checkout", List.of("cs_nope")));
    assertThat(unknown.effect()).isEqualTo(Effect.IGNORED);
    assertThat(unknown.purchase()).isEmpty();
    assertThatThrownBy(() -> billing.purchases().handleReturn("paypal", Map.of()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("paypal");
  }

  @Test
  @DisplayName("illegal transitions are refused by type, naming both states")
  void illegalTransitions() {
    for (PurchaseState from : PurchaseState.values()) {
      for (PurchaseState to : PurchaseState.values()) {
        boolean legal = from.canMoveTo(to);
        var build =
            (org.assertj.core.api.ThrowableAssert.ThrowingCallable)
                () ->
                    new PurchaseTransition(
                        ACME,
                        PurchaseId.of("x"),
                        1,
                        from,
                        to,
                        clock.instant(),
                        "test",
                        "",
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        Amount.zero(USD),
                        false);
        if (legal) {
          org.assertj.core.api.Assertions.assertThatCode(build).doesNotThrowAnyException();
        } else {
          assertThatThrownBy(build)
              .isInstanceOfSatisfying(
                  IllegalPurchaseTransitionException.class,
                  e -> {
                    assertThat(e.from()).isEqualTo(from);
                    assertThat(e.to()).isEqualTo(to);
                  });
        }
      }
    }
    assertThat(PurchaseState.PAID.canMoveTo(PurchaseState.FAILED)).isFalse();
    assertThat(PurchaseState.FAILED.allowedNext()).containsExactly(PurchaseState.PAID);
    assertThat(PurchaseState.EXPIRED.allowedNext()).isEmpty();
    assertThat(PurchaseState.REFUNDED.allowedNext()).isEmpty();
  }
}
