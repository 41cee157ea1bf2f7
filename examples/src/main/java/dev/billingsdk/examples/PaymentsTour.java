package dev.billingsdk.examples;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.purchase.CheckoutStarted;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.StartCheckoutRequest;
import dev.billingsdk.purchase.WebhookOutcome;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.stripe.StripeApiKey;
import dev.billingsdk.stripe.StripePaymentProvider;
import dev.billingsdk.stripe.testing.FakeStripe;
import dev.billingsdk.stripe.testing.WebhookDelivery;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A credit package bought through Stripe Checkout, end to end, without network or a Stripe account:
 * the library on in-memory stores, the Stripe adapter pointed at {@link FakeStripe} (a local server
 * speaking Stripe's wire format). The checkout is created, the buyer "pays" on the hosted page, and
 * Stripe's signed {@code checkout.session.completed} webhook is delivered twice, as Stripe may: the
 * credits and the bonus are granted once.
 */
public final class PaymentsTour {
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final TenantId TENANT = TenantId.of("acme-ai");
  static final AccountId ACCOUNT = AccountId.of("research-team");
  static final Actor ADMIN = Actor.of("ada", Role.ADMIN);
  static final Actor BUYER = Actor.of("bob", Role.USER);
  static final Instant START = Instant.parse("2026-12-03T09:00:00Z");

  private PaymentsTour() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the tour, printing each step; returns what each webhook delivery did. */
  public static List<WebhookOutcome.Effect> run(PrintStream out) {
    LifecycleTour.TourClock clock = new LifecycleTour.TourClock(START);
    try (FakeStripe stripe = FakeStripe.builder().clock(clock).start()) {
      // The adapter, as a host configures it; only the base URI points at the fake.
      StripePaymentProvider provider =
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
              .paymentProvider(provider)
              .clock(clock)
              .build();
      out.println("== 1. An account, and a package on sale: 5,000 credits + 1,000 bonus for $45");
      billing
          .credits()
          .openAccount(OpenAccountRequest.builder(TENANT, ACCOUNT, CREDITS).actor(ADMIN).build());
      billing
          .catalogue()
          .createPackage(
              TENANT,
              CreditPackageDraft.builder(PackageId.of("growth"), "Growth")
                  .credits(Amount.of(CREDITS, 5_000))
                  .bonusCredits(Amount.of(CREDITS, 1_000))
                  .price(Amount.of(USD, "45.00"))
                  .build(),
              ADMIN);
      out.println(provider.health().state() + " to " + stripe.baseUri());

      out.println("== 2. The buyer starts a checkout: Stripe's hosted page");
      CheckoutStarted started =
          billing
              .purchases()
              .startCheckout(
                  StartCheckoutRequest.builder(TENANT, ACCOUNT, PurchaseId.of("order-1001"))
                      .creditPackage(PackageId.of("growth"))
                      .provider("stripe")
                      .successUrl(URI.create("https://app.example/paid"))
                      .cancelUrl(URI.create("https://app.example/pricing"))
                      .actor(BUYER)
                      .build());
      String session = started.purchase().checkoutRef().orElseThrow();
      out.printf("purchase %s is %s%n", started.purchase().id(), started.purchase().state());
      out.printf("redirect to %s%n", started.redirectUrl());

      out.println("== 3. The buyer pays; Stripe signs checkout.session.completed");
      clock.advance(Duration.ofMinutes(2));
      WebhookDelivery completed = stripe.pay(session);
      out.printf("%s %s%n", completed.eventId(), completed.type());

      out.println("== 4. The webhook endpoint: raw body and headers in, delivered twice");
      List<WebhookOutcome.Effect> effects = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        WebhookOutcome outcome =
            billing
                .purchases()
                .handleWebhook(
                    "stripe",
                    completed.payload().getBytes(StandardCharsets.UTF_8),
                    Map.of("Stripe-Signature", List.of(completed.signatureHeader())));
        effects.add(outcome.effect());
        out.printf(
            "delivery %d: %s, purchase %s%n",
            i + 1, outcome.effect(), outcome.purchase().orElseThrow().state());
      }

      out.println("== 5. The grants");
      for (GrantBalance g : billing.credits().grants(TENANT, ACCOUNT)) {
        out.printf("%-12s %-16s %s%n", g.grant().category(), g.grant().name(), g.remaining());
      }
      out.printf("available: %s%n", billing.credits().balance(TENANT, ACCOUNT).available());

      out.println("== 6. The ledger, newest first");
      for (LedgerTransaction t :
          billing
              .ledger()
              .history(TENANT, ACCOUNT, TransactionFilter.all(), Optional.empty(), 10)
              .transactions()) {
        out.printf("%-12s %-16s %s%n", t.type(), t.actor().id(), t.reason());
      }
      return effects;
    }
  }
}
