package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.flutterwave.FlutterwavePaymentProvider;
import dev.billingsdk.flutterwave.FlutterwaveSecretHash;
import dev.billingsdk.flutterwave.FlutterwaveSecretKey;
import dev.billingsdk.flutterwave.testing.FakeFlutterwave;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.ReturnOutcome;
import dev.billingsdk.purchase.StartCheckoutRequest;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.stripe.StripeApiKey;
import dev.billingsdk.stripe.StripePaymentProvider;
import dev.billingsdk.stripe.testing.FakeStripe;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Flutterwave code of docs/payments.md, run against FakeFlutterwave and FakeStripe. */
class FlutterwaveSnippetsTest {
  Billing billing;

  // tag::return[]
  /** GET /paid?...: the buyer is back; show what the provider's API says, not the query. */
  String onReturn(String provider, Map<String, List<String>> query) {
    ReturnOutcome back = billing.purchases().handleReturn(provider, query);
    return back.purchase().map(p -> p.state().toString()).orElse("unknown purchase");
  }

  // end::return[]

  @Test
  void aPackageBoughtInNaira() {
    try (FakeFlutterwave fake =
            FakeFlutterwave.start(
                Clock.fixed(Instant.parse("2026-12-03T09:00:00Z"), ZoneOffset.UTC));
        FakeStripe fakeStripe = FakeStripe.start()) {
      String secretKey = fake.secretKey();
      String secretHash = fake.secretHash();
      URI flutterwaveApi = fake.baseUri();
      InMemoryPurchaseStore purchases = InMemoryPurchaseStore.create();
      StripePaymentProvider stripe =
          StripePaymentProvider.builder(StripeApiKey.of(fakeStripe.secretKey()))
              .webhookSecret(fakeStripe.webhookSecret())
              .baseUri(fakeStripe.baseUri())
              .build();
      // tag::provider[]
      FlutterwavePaymentProvider flutterwave =
          FlutterwavePaymentProvider.builder(FlutterwaveSecretKey.of(secretKey)) // FLWSECK-...-X
              .webhookSecretHash(FlutterwaveSecretHash.of(secretHash)) // the dashboard's hash
              .paymentOptions("card", "mobilemoney", "ussd") // what the hosted page offers
              .baseUri(flutterwaveApi) // leave out for https://api.flutterwave.com
              .build();
      Billing billing =
          Billing.builder()
              .store(InMemoryBillingStore.create()) // or a JdbcBillingStore
              .catalogue(InMemoryCatalogueStore.create())
              .purchases(purchases, purchases) // a PurchaseStore and a ProviderEventStore
              .paymentProvider(flutterwave)
              .paymentProvider(stripe) // optional: each purchase names its provider
              .build();
      // end::provider[]
      this.billing = billing;
      TenantId tenant = TenantId.of("acme-ai");
      AccountId team = AccountId.of("lagos-team");
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
                  .price(Amount.of(CurrencyUnit.of("NGN"), "45000.00"))
                  .build(),
              ada);
      billing
          .purchases()
          .startCheckout(
              StartCheckoutRequest.builder(tenant, team, PurchaseId.of("order-3001"))
                  .creditPackage(PackageId.of("growth"))
                  .provider("flutterwave")
                  .successUrl(URI.create("https://app.example/paid"))
                  .cancelUrl(URI.create("https://app.example/pricing"))
                  .customerEmail("bob@example.com")
                  .actor(Actor.of("bob", Role.USER))
                  .build());
      // Nothing paid yet: a return claiming success shows the purchase still pending.
      assertThat(
              onReturn(
                  "flutterwave",
                  Map.of("status", List.of("successful"), "tx_ref", List.of("order-3001"))))
          .isEqualTo("PENDING");
      long transaction = fake.pay("order-3001").id();
      assertThat(onReturn("flutterwave", fake.returnQueryFor(transaction))).isEqualTo("PAID");
      assertThat(onReturn("flutterwave", Map.of())).isEqualTo("unknown purchase");
      assertThat(billing.credits().balance(tenant, team).available())
          .isEqualTo(Amount.of(credit, 5_000));
    }
  }
}
