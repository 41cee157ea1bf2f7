package dev.billingsdk.flutterwave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.flutterwave.testing.FakeFlutterwave;
import dev.billingsdk.flutterwave.testing.Fault;
import dev.billingsdk.flutterwave.testing.WebhookDelivery;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.PaymentProviderException;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseConflictException;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.RefundOutcome;
import dev.billingsdk.purchase.RefundRequest;
import dev.billingsdk.purchase.ReturnOutcome;
import dev.billingsdk.purchase.StartCheckoutRequest;
import dev.billingsdk.purchase.WebhookOutcome;
import dev.billingsdk.purchase.WebhookOutcome.Effect;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CatalogueStore;
import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.spi.PurchaseStore;
import dev.billingsdk.testkit.TestClock;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The library's purchase flow end to end through {@link FlutterwavePaymentProvider} and {@link
 * FakeFlutterwave}, on an injected clock, on the stores a subclass supplies (in memory, H2,
 * PostgreSQL, MariaDB): a package bought with naira, the webhook delivered twice and under either
 * header scheme, a partial payment, a payment in another currency, a refund after part of the
 * credits were used, the buyer's return racing the webhook, and the verify API timing out.
 *
 * <p>Each story runs under a tenant of its own, so that the database runners can share tables.
 */
abstract class FlutterwavePurchaseStories {
  static final AccountId TEAM = AccountId.of("research-team");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit NGN = CurrencyUnit.of("NGN");
  static final Actor ADA = Actor.of("ada", Role.ADMIN);
  static final Actor BUYER = Actor.of("bob", Role.USER);
  static final URI OK = URI.create("https://app.example/paid");
  static final URI BACK = URI.create("https://app.example/pricing");

  /**
   * Each request's timeout: long enough for a loaded CI machine (a tighter one cut answers short
   * there), short enough for the timeout stories, whose held request waits three times as long.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** The four stores one {@code Billing} uses. */
  record Stores(
      BillingStore ledger,
      CatalogueStore catalogue,
      PurchaseStore purchases,
      ProviderEventStore events) {}

  /** The stores of this runner, the same for every story. */
  abstract Stores stores();

  final TestClock clock = new TestClock(Instant.parse("2026-12-03T09:00:00Z"));
  // Purchase ids are Flutterwave tx_refs, unique across tenants: one run's are its own.
  final String run = UUID.randomUUID().toString().substring(0, 8);
  final TenantId acme = TenantId.of("acme-" + run);
  // Flutterwave's transaction ids are unique across its system: each story's fake starts at ids
  // of its own, since the database runners keep every story's webhook events in one table.
  private static final AtomicLong IDS = new AtomicLong(10_000_000);
  FakeFlutterwave fake =
      FakeFlutterwave.builder().clock(clock).firstTransactionId(IDS.getAndAdd(1_000)).start();
  Billing billing;

  Billing instance() {
    FlutterwavePaymentProvider flutterwave =
        FlutterwavePaymentProvider.builder(FlutterwaveSecretKey.of(fake.secretKey()))
            .webhookSecretHash(FlutterwaveSecretHash.of(fake.secretHash()))
            .baseUri(fake.baseUri())
            .clock(clock)
            .requestTimeout(TIMEOUT)
            .maxAttempts(1)
            .build();
    Stores s = stores();
    return Billing.builder()
        .store(s.ledger())
        .clock(clock)
        .catalogue(s.catalogue())
        .purchases(s.purchases(), s.events())
        .paymentProvider(flutterwave)
        .build();
  }

  @BeforeEach
  void world() {
    billing = instance();
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(acme, TEAM, CREDIT).actor(ADA).build());
    billing
        .catalogue()
        .createPackage(
            acme,
            CreditPackageDraft.builder(PackageId.of("growth"), "Growth")
                .credits(Amount.of(CREDIT, 5_000))
                .bonusCredits(Amount.of(CREDIT, 1_000))
                .price(Amount.of(NGN, "45000.00"))
                .build(),
            ADA);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  /** Starts the checkout of purchase {@code name}; answers its tx_ref. */
  String start(String name) {
    String txRef = run + "-" + name;
    var started =
        billing
            .purchases()
            .startCheckout(
                StartCheckoutRequest.builder(acme, TEAM, PurchaseId.of(txRef))
                    .creditPackage(PackageId.of("growth"))
                    .provider(FlutterwavePaymentProvider.NAME)
                    .successUrl(OK)
                    .cancelUrl(BACK)
                    .customerEmail("bob@example.com")
                    .actor(BUYER)
                    .build());
    assertThat(started.purchase().state()).isEqualTo(PurchaseState.PENDING);
    assertThat(started.purchase().checkoutRef()).contains(txRef);
    assertThat(started.redirectUrl().toString()).startsWith(fake.baseUri() + "/v3/hosted/pay/");
    return txRef;
  }

  WebhookOutcome deliver(WebhookDelivery d) {
    return billing
        .purchases()
        .handleWebhook(
            FlutterwavePaymentProvider.NAME,
            d.body().getBytes(StandardCharsets.UTF_8),
            d.headers());
  }

  Purchase purchase(String txRef) {
    return billing.purchases().purchase(acme, PurchaseId.of(txRef)).orElseThrow();
  }

  List<LedgerTransaction> transactions(TransactionType type) {
    return stores().ledger().transactions(acme, TEAM).stream()
        .filter(t -> t.type() == type)
        .toList();
  }

  Amount available() {
    return billing.credits().balance(acme, TEAM).available();
  }

  @Test
  @DisplayName("paid by card, the webhook delivered twice: one PURCHASE, credits + bonus")
  void paidOnce() {
    String txRef = start("p-1");
    clock.advance(Duration.ofMinutes(2));
    long id = fake.pay(txRef).id();
    WebhookDelivery completed = fake.webhookFor(id);

    WebhookOutcome first = deliver(completed);
    assertThat(first.effect()).isEqualTo(Effect.PAID);
    assertThat(first.purchase().orElseThrow().paymentRef()).contains(Long.toString(id));
    assertThat(deliver(completed).effect()).isEqualTo(Effect.DUPLICATE);
    // The same event under the legacy header only: the same event id, a duplicate.
    assertThat(deliver(fake.legacyWebhookFor(id)).effect()).isEqualTo(Effect.DUPLICATE);

    assertThat(transactions(TransactionType.PURCHASE)).hasSize(1);
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 6_000));
    assertThat(purchase(txRef).state()).isEqualTo(PurchaseState.PAID);
  }

  @Test
  @DisplayName("a partial payment: nothing granted, the purchase needs review")
  void partialPayment() {
    String txRef = start("p-2");
    long id = fake.payAmount(txRef, new BigDecimal("20000.00")).id();
    assertThat(deliver(fake.webhookFor(id)).effect()).isEqualTo(Effect.NEEDS_REVIEW);
    Purchase p = purchase(txRef);
    assertThat(p.needsReview()).isTrue();
    assertThat(p.state()).isEqualTo(PurchaseState.PENDING);
    assertThat(transactions(TransactionType.PURCHASE)).isEmpty();
    assertThat(available()).isEqualTo(Amount.zero(CREDIT));
  }

  @Test
  @DisplayName("the price's number paid in another currency: nothing granted, review")
  void otherCurrency() {
    String txRef = start("p-3");
    long id = fake.payInCurrency(txRef, "USD", new BigDecimal("45000")).id();
    assertThat(deliver(fake.webhookFor(id)).effect()).isEqualTo(Effect.NEEDS_REVIEW);
    assertThat(transactions(TransactionType.PURCHASE)).isEmpty();
  }

  void spend(long credits) {
    billing
        .credits()
        .charge(
            ChargeRequest.builder(acme, TEAM, Charge.usage("llm", Amount.of(CREDIT, credits)))
                .idempotencyKey(IdempotencyKey.of("spend-" + credits))
                .actor(Actor.system("gateway"))
                .reason("usage")
                .build());
  }

  @Test
  @DisplayName(
      "a refund of a third after part of the credits were used: refunded once, at Flutterwave")
  void refundAfterUse() {
    String txRef = start("p-4");
    long id = fake.pay(txRef).id();
    deliver(fake.webhookFor(id));
    spend(2_500); // 6,000 granted, 3,500 left
    RefundOutcome done =
        billing
            .purchases()
            .refund(
                RefundRequest.builder(acme, PurchaseId.of(txRef))
                    .amount(Amount.of(NGN, "15000.00"))
                    .idempotencyKey(IdempotencyKey.of("refund-" + txRef))
                    .actor(ADA)
                    .reason("customer asked")
                    .build());
    assertThat(done.creditsTaken()).isEqualTo(Amount.of(CREDIT, 2_000));
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 1_500));
    assertThat(fake.refunds(id)).hasSize(1);
    assertThat(fake.refunds(id).get(0).amountRefunded()).isEqualByComparingTo("15000");
    Purchase p = purchase(txRef);
    assertThat(p.state()).isEqualTo(PurchaseState.PARTIALLY_REFUNDED);
    assertThat(p.refunded()).isEqualTo(Amount.of(NGN, "15000.00"));
    assertThat(transactions(TransactionType.REFUND)).hasSize(1);
    // Redelivering the payment's webhook adds nothing.
    assertThat(deliver(fake.webhookFor(id)).effect()).isEqualTo(Effect.DUPLICATE);
    assertThat(transactions(TransactionType.REFUND)).hasSize(1);
  }

  @Test
  @DisplayName(
      "a full refund before any use: REFUNDED, every credit back, and nothing left to refund")
  void fullRefund() {
    String txRef = start("p-12");
    long id = fake.pay(txRef).id();
    deliver(fake.webhookFor(id));
    RefundOutcome done =
        billing
            .purchases()
            .refund(
                RefundRequest.builder(acme, PurchaseId.of(txRef))
                    .idempotencyKey(IdempotencyKey.of("refund-" + txRef))
                    .actor(ADA)
                    .reason("changed their mind")
                    .build());
    assertThat(done.creditsTaken()).isEqualTo(Amount.of(CREDIT, 6_000));
    assertThat(done.purchase().state()).isEqualTo(PurchaseState.REFUNDED);
    assertThat(available()).isEqualTo(Amount.zero(CREDIT));
    assertThat(fake.refunds(id))
        .singleElement()
        .satisfies(r -> assertThat(r.amountRefunded()).isEqualByComparingTo("45000"));
    assertThatThrownBy(
            () ->
                billing
                    .purchases()
                    .refund(
                        RefundRequest.builder(acme, PurchaseId.of(txRef))
                            .idempotencyKey(IdempotencyKey.of("refund-again-" + txRef))
                            .actor(ADA)
                            .reason("twice")
                            .build()))
        .isInstanceOf(PurchaseConflictException.class);
    assertThat(fake.refunds(id)).hasSize(1);
    assertThat(transactions(TransactionType.REFUND)).hasSize(1);
  }

  @Test
  @DisplayName("the buyer's return and the webhook race: verified through the API, granted once")
  void returnAndWebhook() {
    String txRef = start("p-5");
    long id = fake.pay(txRef).id();
    ReturnOutcome back =
        billing.purchases().handleReturn(FlutterwavePaymentProvider.NAME, fake.returnQueryFor(id));
    assertThat(back.effect()).isEqualTo(Effect.PAID);
    assertThat(deliver(fake.webhookFor(id)).effect()).isEqualTo(Effect.NO_CHANGE);
    assertThat(transactions(TransactionType.PURCHASE)).hasSize(1);
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 6_000));
  }

  @Test
  @DisplayName("a return that says successful for a cancelled checkout: nothing granted")
  void returnStatusNotBelieved() {
    String txRef = start("p-6");
    ReturnOutcome back =
        billing
            .purchases()
            .handleReturn(
                FlutterwavePaymentProvider.NAME,
                Map.of("status", List.of("successful"), "tx_ref", List.of(txRef)));
    assertThat(back.effect()).isEqualTo(Effect.NO_CHANGE);
    assertThat(purchase(txRef).state()).isEqualTo(PurchaseState.PENDING);
    assertThat(transactions(TransactionType.PURCHASE)).isEmpty();
  }

  @Test
  @DisplayName("the verify API times out: nothing granted; the redelivery grants, once")
  void verifyTimesOut() {
    String txRef = start("p-7");
    long id = fake.pay(txRef).id();
    WebhookDelivery completed = fake.webhookFor(id);
    fake.inject(Fault.delay(TIMEOUT.multipliedBy(3)));
    assertThatThrownBy(() -> deliver(completed))
        .isInstanceOf(PaymentProviderException.class)
        .extracting(e -> ((PaymentProviderException) e).kind())
        .isEqualTo(PaymentProviderException.Kind.UNAVAILABLE);
    assertThat(transactions(TransactionType.PURCHASE)).isEmpty();
    assertThat(purchase(txRef).state()).isEqualTo(PurchaseState.PENDING);

    assertThat(deliver(completed).effect()).isEqualTo(Effect.PAID);
    assertThat(deliver(completed).effect()).isEqualTo(Effect.DUPLICATE);
    assertThat(transactions(TransactionType.PURCHASE)).hasSize(1);
  }

  @Test
  @DisplayName("a failed attempt, then a card that works: FAILED, then PAID once")
  void failedThenPaid() {
    String txRef = start("p-8");
    long failed = fake.failAttempt(txRef).id();
    assertThat(deliver(fake.webhookFor(failed)).effect()).isEqualTo(Effect.FAILED);
    long paid = fake.pay(txRef).id();
    assertThat(deliver(fake.webhookFor(paid)).effect()).isEqualTo(Effect.PAID);
    assertThat(purchase(txRef).state()).isEqualTo(PurchaseState.PAID);
    assertThat(transactions(TransactionType.PURCHASE)).hasSize(1);
  }

  @Test
  @DisplayName("a webhook for an unknown tx_ref is acknowledged and ignored; a forged one refused")
  void unknownAndForged() {
    // A payment of another system on the same Flutterwave account: nothing of ours.
    String elsewhere =
        "{\"event\":\"charge.completed\",\"data\":{\"id\":99000001,\"tx_ref\":\""
            + run
            + "-elsewhere\",\"amount\":100,\"currency\":\"NGN\",\"status\":\"successful\"},"
            + "\"event.type\":\"CARD_TRANSACTION\"}";
    assertThat(deliver(fake.webhookWithBody(elsewhere)).effect()).isEqualTo(Effect.IGNORED);
    String txRef = start("p-9");
    long id = fake.pay(txRef).id();
    WebhookDelivery forged = fake.webhookFor(id, "not-the-secret-hash");
    assertThatThrownBy(() -> deliver(forged)).isInstanceOf(WebhookRejectedException.class);
    assertThat(transactions(TransactionType.PURCHASE)).isEmpty();
    assertThat(purchase(txRef).state()).isEqualTo(PurchaseState.PENDING);
  }

  // ------------------------------------------------------------------ peers' money bugs, pinned

  @Test
  @DisplayName(
      "a package priced in shillings (no minor unit) is asked for as 50000, not 500 (cal.com"
          + " #30038: major units divided by 100 for every currency)")
  void zeroDecimalCurrency() {
    CurrencyUnit ugx = CurrencyUnit.of("UGX");
    billing
        .catalogue()
        .createPackage(
            acme,
            CreditPackageDraft.builder(PackageId.of("growth-ugx"), "Growth")
                .credits(Amount.of(CREDIT, 5_000))
                .price(Amount.of(ugx, 50_000))
                .build(),
            ADA);
    String txRef = run + "-p-ugx";
    billing
        .purchases()
        .startCheckout(
            StartCheckoutRequest.builder(acme, TEAM, PurchaseId.of(txRef))
                .creditPackage(PackageId.of("growth-ugx"))
                .provider(FlutterwavePaymentProvider.NAME)
                .successUrl(OK)
                .cancelUrl(BACK)
                .customerEmail("bob@example.com")
                .actor(BUYER)
                .build());
    var sent = fake.requests().stream().filter(r -> r.path().equals("/v3/payments")).findFirst();
    assertThat(sent.orElseThrow().field("amount").orElseThrow()).isEqualTo(new BigDecimal("50000"));
    assertThat(sent.orElseThrow().field("currency")).contains("UGX");
    long id = fake.pay(txRef).id();
    assertThat(fake.transaction(id).amount()).isEqualByComparingTo("50000");
    assertThat(deliver(fake.webhookFor(id)).effect()).isEqualTo(Effect.PAID);
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 5_000));
  }

  @Test
  @DisplayName(
      "the same webhook again an hour later is a duplicate (VivaPayments/API #2553), and so is the"
          + " Lago #657 case: a paid link's webhook always reaches its purchase")
  void redeliveredAnHourLater() {
    String txRef = start("p-10");
    long id = fake.pay(txRef).id();
    WebhookDelivery completed = fake.webhookFor(id);
    assertThat(deliver(completed).effect()).isEqualTo(Effect.PAID);
    clock.advance(Duration.ofHours(1));
    assertThat(deliver(completed).effect()).isEqualTo(Effect.DUPLICATE);
    assertThat(deliver(fake.signedWebhookFor(id)).effect()).isEqualTo(Effect.DUPLICATE);
    assertThat(transactions(TransactionType.PURCHASE)).hasSize(1);
  }

  @Test
  @DisplayName(
      "returns and webhooks racing on many threads, with a failed attempt among them: once")
  void racingReturnsAndWebhooks() throws Exception {
    String txRef = start("p-11");
    long failed = fake.failAttempt(txRef).id();
    long paid = fake.pay(txRef).id();
    List<Callable<Effect>> tasks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int n = i;
      tasks.add(
          () ->
              switch (n % 4) {
                case 0 ->
                    billing
                        .purchases()
                        .handleReturn(FlutterwavePaymentProvider.NAME, fake.returnQueryFor(paid))
                        .effect();
                case 1 -> deliver(fake.webhookFor(paid)).effect();
                case 2 -> deliver(fake.legacyWebhookFor(paid)).effect();
                default -> deliver(fake.webhookFor(failed)).effect();
              });
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Effect> effects = new ArrayList<>();
    try {
      for (Future<Effect> f : pool.invokeAll(tasks)) {
        effects.add(f.get(1, TimeUnit.MINUTES));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(effects.stream().filter(e -> e == Effect.PAID)).hasSize(1);
    assertThat(transactions(TransactionType.PURCHASE)).hasSize(1);
    assertThat(available()).isEqualTo(Amount.of(CREDIT, 6_000));
    assertThat(purchase(txRef).state()).isEqualTo(PurchaseState.PAID);
  }
}
