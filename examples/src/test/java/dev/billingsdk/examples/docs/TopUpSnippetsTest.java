package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.memory.InMemoryTopUpStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.stripe.StripeApiKey;
import dev.billingsdk.stripe.StripePaymentProvider;
import dev.billingsdk.stripe.testing.FakeStripe;
import dev.billingsdk.topup.AutoTopUps;
import dev.billingsdk.topup.TopUpOutcome;
import dev.billingsdk.topup.TopUpRuleRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code of docs/auto-top-up.md, run against FakeStripe. */
class TopUpSnippetsTest {

  @Test
  void aRuleAndItsWorker() {
    try (FakeStripe fake = FakeStripe.start()) {
      TenantId tenant = TenantId.of("acme-ai");
      Actor ada = Actor.of("ada", Role.ADMIN);
      CreditUnit credit = CreditUnit.of("CREDIT", 0);
      CurrencyUnit usd = CurrencyUnit.of("USD");
      AccountId lab = AccountId.of("ai-lab");
      StripePaymentProvider stripe =
          StripePaymentProvider.builder(StripeApiKey.of(fake.secretKey()))
              .webhookSecret(fake.webhookSecret())
              .baseUri(fake.baseUri())
              .build();
      // tag::setup[]
      InMemoryPurchaseStore purchases = InMemoryPurchaseStore.create();
      Billing billing =
          Billing.builder()
              .store(InMemoryBillingStore.create())
              .catalogue(InMemoryCatalogueStore.create())
              .purchases(purchases, purchases)
              .paymentProvider(stripe)
              .autoTopUps(InMemoryTopUpStore.create()) // or JdbcTopUpStore.create(ds, prefix)
              .build();
      // end::setup[]
      billing
          .catalogue()
          .createPackage(
              tenant,
              CreditPackageDraft.builder(PackageId.of("boost"), "Boost")
                  .credits(Amount.of(credit, 5_000))
                  .price(Amount.of(usd, "50.00"))
                  .build(),
              ada);
      billing
          .credits()
          .openAccount(OpenAccountRequest.builder(tenant, lab, credit).actor(ada).build());
      billing
          .credits()
          .grant(
              GrantRequest.builder(tenant, lab, Amount.of(credit, 1_500))
                  .idempotencyKey(IdempotencyKey.of("opening"))
                  .actor(ada)
                  .reason("opening balance")
                  .build());
      String customer = "cus_Lab0001"; // from the checkout that saved the card
      String card = "pm_Lab0001";

      // tag::rule[]
      AutoTopUps topUps = billing.autoTopUps();
      topUps.configure(
          TopUpRuleRequest.builder(tenant, lab, Amount.of(credit, 1_000)) // below 1,000 credits
              .creditPackage(PackageId.of("boost")) // buy Boost
              .provider("stripe")
              .savedMethod(customer, card) // saved by an earlier checkout
              .monthlyCap(Amount.of(usd, "200.00")) // at most 4 Boosts a month
              .cooldown(Duration.ofHours(1)) // at most one attempt an hour (default)
              .maxFailures(3) // disable after 3 failed payments in a row (default)
              .actor(Actor.of("lab-owner", Role.USER))
              .build());
      // end::rule[]
      billing
          .credits()
          .charge(
              ChargeRequest.builder(
                      tenant, lab, Charge.of(ChargeKind.USAGE, "gpu", Amount.of(credit, 600)))
                  .idempotencyKey(IdempotencyKey.of("use-1"))
                  .actor(ada)
                  .reason("usage")
                  .build());

      // tag::worker[]
      // Every minute (and, for speed, from a BalanceBelowThreshold listener with runFor):
      List<TopUpOutcome> done = topUps.run(tenant, Actor.system("top-up-worker"));
      // [TopUpOutcome[account=ai-lab, result=PAID, purchase=ai-lab-topup-1, ...]]
      // end::worker[]
      assertThat(done).extracting(TopUpOutcome::result).containsExactly(TopUpOutcome.Result.PAID);
      assertThat(billing.credits().balance(tenant, lab).available())
          .isEqualTo(Amount.of(credit, 900 + 5_000));
    }
  }
}
