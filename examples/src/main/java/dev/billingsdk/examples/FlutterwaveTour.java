package dev.billingsdk.examples;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.flutterwave.FlutterwavePaymentProvider;
import dev.billingsdk.flutterwave.FlutterwaveSecretHash;
import dev.billingsdk.flutterwave.FlutterwaveSecretKey;
import dev.billingsdk.flutterwave.testing.FakeFlutterwave;
import dev.billingsdk.flutterwave.testing.WebhookDelivery;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.purchase.CheckoutStarted;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.RefundOutcome;
import dev.billingsdk.purchase.RefundRequest;
import dev.billingsdk.purchase.ReturnOutcome;
import dev.billingsdk.purchase.StartCheckoutRequest;
import dev.billingsdk.purchase.WebhookOutcome;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.stripe.StripeApiKey;
import dev.billingsdk.stripe.StripePaymentProvider;
import dev.billingsdk.stripe.testing.FakeStripe;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A credit package bought with naira through Flutterwave's hosted payment page, end to end, without
 * network or a Flutterwave account: the library on in-memory stores, the adapter pointed at {@link
 * FakeFlutterwave} (a local server speaking Flutterwave's v3 wire format). One {@code Billing}
 * holds two providers, and each purchase names its own: a buyer in Lagos pays through Flutterwave,
 * a buyer in Boston through Stripe.
 *
 * <p>The buyer comes back to the return URL claiming success, and the webhook follows, twice: both
 * are verified through Flutterwave's API, and the credits are granted once. Then a part is
 * refunded, and the refunded share of the credits taken back.
 */
public final class FlutterwaveTour {
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit NGN = CurrencyUnit.of("NGN");
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final TenantId TENANT = TenantId.of("acme-ai");
  static final AccountId LAGOS = AccountId.of("lagos-team");
  static final AccountId BOSTON = AccountId.of("boston-team");
  static final Actor ADMIN = Actor.of("ada", Role.ADMIN);
  static final Actor BUYER = Actor.of("bob", Role.USER);
  static final Instant START = Instant.parse("2026-12-03T09:00:00Z");

  private FlutterwaveTour() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the tour, printing each step; answers what the return and each webhook did. */
  public static List<WebhookOutcome.Effect> run(PrintStream out) {
    LifecycleTour.TourClock clock = new LifecycleTour.TourClock(START);
    try (FakeFlutterwave flutterwave = FakeFlutterwave.start(clock);
        FakeStripe stripe = FakeStripe.builder().clock(clock).start()) {
      // The adapters, as a host configures them; only the base URIs point at the fakes.
      FlutterwavePaymentProvider fw =
          FlutterwavePaymentProvider.builder(FlutterwaveSecretKey.of(flutterwave.secretKey()))
              .webhookSecretHash(FlutterwaveSecretHash.of(flutterwave.secretHash()))
              .baseUri(flutterwave.baseUri())
              .paymentOptions("card", "mobilemoney", "ussd")
              .clock(clock)
              .build();
      StripePaymentProvider st =
          StripePaymentProvider.builder(StripeApiKey.of(stripe.secretKey()))
              .webhookSecret(stripe.webhookSecret())
              .baseUri(stripe.baseUri())
              .clock(clock)
              .build();
      InMemoryPurchaseStore purchases = InMemoryPurchaseStore.create();
      Billing billing =
          Billing.builder()
              .store(InMemoryBillingStore.create())
              .catalogue(InMemoryCatalogueStore.create())
              .purchases(purchases, purchases)
              .paymentProvider(fw)
              .paymentProvider(st)
              .clock(clock)
              .build();

      out.println("== 1. Two accounts, and the package on sale in naira and in dollars");
      for (AccountId account : List.of(LAGOS, BOSTON)) {
        billing
            .credits()
            .openAccount(OpenAccountRequest.builder(TENANT, account, CREDITS).actor(ADMIN).build());
      }
      createPackage(billing, "growth-ngn", Amount.of(NGN, "45000.00"));
      createPackage(billing, "growth-usd", Amount.of(USD, "45.00"));
      out.println("flutterwave " + fw.health().state() + ", stripe " + st.health().state());

      out.println("== 2. The buyer in Lagos starts a checkout: Flutterwave's hosted page");
      CheckoutStarted started =
          billing
              .purchases()
              .startCheckout(
                  checkout(LAGOS, "order-2001", "growth-ngn", FlutterwavePaymentProvider.NAME));
      out.printf("purchase %s is %s%n", started.purchase().id(), started.purchase().state());
      out.printf("redirect to %s%n", started.redirectUrl());

      out.println("== 3. The buyer pays by card and comes back to the return URL");
      clock.advance(Duration.ofMinutes(2));
      long transaction = flutterwave.pay("order-2001").id();
      Map<String, List<String>> query = flutterwave.returnQueryFor(transaction);
      out.printf("return query: %s%n", query);
      List<WebhookOutcome.Effect> effects = new ArrayList<>();
      ReturnOutcome back = billing.purchases().handleReturn(FlutterwavePaymentProvider.NAME, query);
      effects.add(back.effect());
      out.printf(
          "return: %s, purchase %s (verified through the API)%n",
          back.effect(), back.purchase().orElseThrow().state());

      out.println("== 4. Flutterwave's webhook, delivered twice");
      WebhookDelivery completed = flutterwave.webhookFor(transaction);
      for (int i = 0; i < 2; i++) {
        WebhookOutcome outcome =
            billing
                .purchases()
                .handleWebhook(
                    FlutterwavePaymentProvider.NAME,
                    completed.body().getBytes(StandardCharsets.UTF_8),
                    completed.headers());
        effects.add(outcome.effect());
        out.printf("delivery %d: %s%n", i + 1, outcome.effect());
      }
      out.printf("lagos available: %s%n", billing.credits().balance(TENANT, LAGOS).available());

      out.println("== 5. A third refunded through Flutterwave: a third of the credits back");
      RefundOutcome refund =
          billing
              .purchases()
              .refund(
                  RefundRequest.builder(TENANT, PurchaseId.of("order-2001"))
                      .amount(Amount.of(NGN, "15000.00"))
                      .idempotencyKey(IdempotencyKey.of("refund-order-2001"))
                      .actor(ADMIN)
                      .reason("customer asked")
                      .build());
      out.printf(
          "refunded %s, credits taken %s, purchase %s%n",
          refund.purchase().refunded(), refund.creditsTaken(), refund.purchase().state());
      out.printf("lagos available: %s%n", billing.credits().balance(TENANT, LAGOS).available());

      out.println("== 6. The buyer in Boston pays through Stripe, from the same Billing");
      CheckoutStarted boston =
          billing.purchases().startCheckout(checkout(BOSTON, "order-2002", "growth-usd", "stripe"));
      var paid = stripe.pay(boston.purchase().checkoutRef().orElseThrow());
      WebhookOutcome viaStripe =
          billing
              .purchases()
              .handleWebhook(
                  "stripe",
                  paid.payload().getBytes(StandardCharsets.UTF_8),
                  Map.of("Stripe-Signature", List.of(paid.signatureHeader())));
      out.printf(
          "purchase %s through %s: %s%n",
          viaStripe.purchase().orElseThrow().id(),
          viaStripe.purchase().orElseThrow().provider(),
          viaStripe.effect());
      out.printf("boston available: %s%n", billing.credits().balance(TENANT, BOSTON).available());
      return effects;
    }
  }

  private static void createPackage(Billing billing, String id, Amount price) {
    billing
        .catalogue()
        .createPackage(
            TENANT,
            CreditPackageDraft.builder(PackageId.of(id), "Growth")
                .credits(Amount.of(CREDITS, 5_000))
                .bonusCredits(Amount.of(CREDITS, 1_000))
                .price(price)
                .build(),
            ADMIN);
  }

  private static StartCheckoutRequest checkout(
      AccountId account, String purchase, String pkg, String provider) {
    return StartCheckoutRequest.builder(TENANT, account, PurchaseId.of(purchase))
        .creditPackage(PackageId.of(pkg))
        .provider(provider)
        .successUrl(URI.create("https://app.example/paid"))
        .cancelUrl(URI.create("https://app.example/pricing"))
        .customerEmail("bob@example.com")
        .actor(BUYER)
        .build();
  }
}
