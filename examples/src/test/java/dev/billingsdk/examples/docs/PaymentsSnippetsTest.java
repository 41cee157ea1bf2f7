package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.payment.ProviderHealth;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.purchase.CheckoutStarted;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.RefundExceedsUnusedCreditException;
import dev.billingsdk.purchase.RefundOutcome;
import dev.billingsdk.purchase.RefundRequest;
import dev.billingsdk.purchase.StartCheckoutRequest;
import dev.billingsdk.purchase.WebhookOutcome;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.stripe.StripeApiKey;
import dev.billingsdk.stripe.StripePaymentProvider;
import dev.billingsdk.stripe.testing.FakeStripe;
import dev.billingsdk.stripe.testing.WebhookDelivery;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The code of docs/payments.md, run against FakeStripe. */
class PaymentsSnippetsTest {
  Billing billing;
  final List<String> logged = new ArrayList<>();

  // tag::endpoint[]
  /** POST /webhooks/stripe: the raw body bytes and the headers, as received; nothing parsed. */
  int onStripeWebhook(byte[] rawBody, Map<String, List<String>> headers) {
    try {
      WebhookOutcome outcome = billing.purchases().handleWebhook("stripe", rawBody, headers);
      log("stripe " + outcome.event().eventId() + ": " + outcome.effect());
      return 200; // every outcome: PAID, DUPLICATE, NO_CHANGE, IGNORED, NEEDS_REVIEW ...
    } catch (WebhookRejectedException e) {
      log("stripe webhook refused: " + e.reason()); // the message holds no secret, no body
      return 400; // forged, tampered, stale or unreadable: Stripe shows it as failed
    }
  }

  // end::endpoint[]

  void log(String line) {
    logged.add(line);
  }

  @Test
  void aPackageBoughtThroughStripe() {
    try (FakeStripe fake = FakeStripe.start()) {
      String apiKey = fake.secretKey();
      String webhookSecret = fake.webhookSecret();
      URI stripeApi = fake.baseUri();
      InMemoryPurchaseStore purchases = InMemoryPurchaseStore.create();
      // tag::provider[]
      StripePaymentProvider stripe =
          StripePaymentProvider.builder(StripeApiKey.of(apiKey)) // sk_live_... from a secret store
              .webhookSecret(webhookSecret) // whsec_... of the endpoint; twice while rolling it
              .tolerance(Duration.ofMinutes(5)) // signed time vs. the clock, either way
              .timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)) // connect, each request
              .baseUri(stripeApi) // leave out for https://api.stripe.com; FakeStripe in tests
              .build();
      Billing billing =
          Billing.builder()
              .store(InMemoryBillingStore.create()) // or a JdbcBillingStore
              .catalogue(InMemoryCatalogueStore.create())
              .purchases(purchases, purchases) // a PurchaseStore and a ProviderEventStore
              .paymentProvider(stripe)
              .build();
      // end::provider[]
      this.billing = billing;
      TenantId tenant = TenantId.of("acme-ai");
      AccountId team = AccountId.of("research-team");
      Actor ada = Actor.of("ada", Role.ADMIN);
      CreditUnit credit = CreditUnit.of("CREDIT", 0);
      billing
          .credits()
          .openAccount(OpenAccountRequest.builder(tenant, team, credit).actor(ada).build());
      billing
          .catalogue()
          .createPackage(
              tenant,
              CreditPackageDraft.builder(PackageId.of("growth"), "Growth")
                  .credits(Amount.of(credit, 5_000))
                  .bonusCredits(Amount.of(credit, 1_000))
                  .price(Amount.of(CurrencyUnit.of("USD"), "45.00"))
                  .build(),
              ada);

      // tag::checkout[]
      CheckoutStarted started =
          billing
              .purchases()
              .startCheckout(
                  StartCheckoutRequest.builder(tenant, team, PurchaseId.of("order-1001"))
                      .creditPackage(PackageId.of("growth"))
                      .provider("stripe")
                      .successUrl(URI.create("https://app.example/paid"))
                      .cancelUrl(URI.create("https://app.example/pricing"))
                      .customerEmail("bob@example.com")
                      .actor(Actor.of("bob", Role.USER))
                      .build());
      URI redirectTo = started.redirectUrl(); // send the buyer's browser there (HTTP 303)
      // end::checkout[]
      assertThat(redirectTo.toString()).startsWith(stripeApi + "/c/pay/cs_test_");

      WebhookDelivery completed = fake.pay(started.purchase().checkoutRef().orElseThrow());
      byte[] body = completed.payload().getBytes(StandardCharsets.UTF_8);
      Map<String, List<String>> headers =
          Map.of("Stripe-Signature", List.of(completed.signatureHeader()));
      assertThat(onStripeWebhook(body, headers)).isEqualTo(200);
      assertThat(onStripeWebhook(body, headers)).isEqualTo(200);
      assertThat(logged)
          .containsExactly(
              "stripe " + completed.eventId() + ": PAID",
              "stripe " + completed.eventId() + ": DUPLICATE");
      byte[] tampered = completed.payload().replace("45", "46").getBytes(StandardCharsets.UTF_8);
      assertThat(onStripeWebhook(tampered, headers)).isEqualTo(400);
      assertThat(logged.get(2)).isEqualTo("stripe webhook refused: SIGNATURE_MISMATCH");
      assertThat(billing.credits().balance(tenant, team).available())
          .isEqualTo(Amount.of(credit, 6_000));

      // tag::refund[]
      try {
        RefundOutcome refund =
            billing
                .purchases()
                .refund(
                    RefundRequest.builder(tenant, PurchaseId.of("order-1001"))
                        .amount(Amount.of(CurrencyUnit.of("USD"), "15.00")) // or all that is left
                        .idempotencyKey(IdempotencyKey.of("refund-order-1001-1"))
                        .actor(ada)
                        .reason("customer asked")
                        .build());
        log("took back " + refund.creditsTaken()); // a third of the credit: CREDIT 2000
      } catch (RefundExceedsUnusedCreditException e) {
        log("refused: the credit to take back, " + e.creditsToTake() + ", was used");
      }
      // end::refund[]
      assertThat(logged.get(3)).isEqualTo("took back CREDIT 2000");
      assertThat(
              billing
                  .purchases()
                  .purchase(tenant, PurchaseId.of("order-1001"))
                  .orElseThrow()
                  .state())
          .isEqualTo(PurchaseState.PARTIALLY_REFUNDED);

      // tag::health[]
      ProviderHealth health = stripe.health(); // one GET /v1/balance and the breaker's state
      switch (health.state()) {
        case CONNECTED -> log("stripe: connected");
        case DEGRADED, DOWN ->
            log(
                "stripe: "
                    + health.state()
                    + ", last error "
                    + health.lastError().orElse("?")
                    + " at "
                    + health.lastErrorAt().map(Object::toString).orElse("?"));
      }
      // end::health[]
      assertThat(logged.get(4)).isEqualTo("stripe: connected");
    }
  }
}
