package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlanDraft;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.memory.InMemorySubscriptionStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.stripe.StripeApiKey;
import dev.billingsdk.stripe.StripePaymentProvider;
import dev.billingsdk.stripe.testing.FakeStripe;
import dev.billingsdk.subscription.DunningSchedule;
import dev.billingsdk.subscription.PlanChangeOutcome;
import dev.billingsdk.subscription.RenewalRun;
import dev.billingsdk.subscription.SubscribeRequest;
import dev.billingsdk.subscription.SubscriptionId;
import dev.billingsdk.subscription.SubscriptionStarted;
import dev.billingsdk.subscription.Subscriptions;
import java.net.URI;
import java.time.Duration;
import java.time.Period;
import org.junit.jupiter.api.Test;

/** The code of docs/subscriptions.md, run against FakeStripe. */
class SubscriptionSnippetsTest {

  @Test
  void subscribeRenewChangeAndCancel() {
    try (FakeStripe fake = FakeStripe.start()) {
      TenantId tenant = TenantId.of("acme-ai");
      Actor ada = Actor.of("ada", Role.ADMIN);
      CreditUnit credit = CreditUnit.of("CREDIT", 0);
      CurrencyUnit usd = CurrencyUnit.of("USD");
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
              .economy(InMemoryEconomyStore.create()) // its settings switch subscriptions on
              .subscriptions(InMemorySubscriptionStore.create(), DunningSchedule.standard())
              .build();
      billing
          .economy()
          .saveSettings(
              SettingsUpdate.of(
                  tenant,
                  0,
                  EconomySettings.builder(CreditPrice.of(Amount.of(credit, 100), Amount.of(usd, 1)))
                      .subscriptionsEnabled(true)
                      .build(),
                  ada,
                  "subscriptions on"));
      billing
          .catalogue()
          .createPlan(
              tenant,
              SubscriptionPlanDraft.builder(PlanId.of("pro"), "Pro")
                  .cadence(Period.ofMonths(1))
                  .price(Amount.of(usd, "30.00"))
                  .allowance(Amount.of(credit, 4_000))
                  .build(),
              ada);
      // end::setup[]
      billing
          .catalogue()
          .createPlan(
              tenant,
              SubscriptionPlanDraft.builder(PlanId.of("team"), "Team")
                  .cadence(Period.ofMonths(1))
                  .price(Amount.of(usd, "90.00"))
                  .allowance(Amount.of(credit, 15_000))
                  .build(),
              ada);
      billing
          .credits()
          .openAccount(
              OpenAccountRequest.builder(tenant, AccountId.of("cara"), credit).actor(ada).build());

      // tag::subscribe[]
      Subscriptions subscriptions = billing.subscriptions();
      SubscriptionStarted started =
          subscriptions.subscribe(
              SubscribeRequest.builder(
                      tenant,
                      AccountId.of("cara"),
                      SubscriptionId.of("cara-pro"), // the client's id: a retry finds it
                      PlanId.of("pro"),
                      usd)
                  .provider("stripe")
                  .hostedCheckout(
                      URI.create("https://app.example/billing/done"),
                      URI.create("https://app.example/billing"))
                  .customerEmail("cara@example.com")
                  .actor(Actor.of("cara", Role.USER))
                  .build());
      URI sendTheBuyerTo = started.checkoutUrl().orElseThrow(); // INCOMPLETE until paid
      // end::subscribe[]
      assertThat(sendTheBuyerTo.getScheme()).startsWith("http");
      assertThat(started.subscription().state().name()).isEqualTo("INCOMPLETE");

      // tag::job[]
      // Every few minutes, on one or more instances:
      RenewalRun run = subscriptions.runRenewals(tenant, Actor.system("renewal-job"));
      // run.changes(): what it did (ACTIVATED, RENEWED, PAYMENT_FAILED, RECOVERED, CANCELED, ...)
      // end::job[]
      assertThat(run.changes()).isEmpty();

      // tag::change[]
      // Upgrades apply now (the rest of the period's difference charged and granted), downgrades
      // from the next period; both are in the subscription's history.
      // PlanChangeOutcome up = subscriptions.changePlan(tenant, id, PlanId.of("team"), actor,
      // "why");
      // Cancel at the end of the paid periods, or at once:
      // subscriptions.cancel(tenant, id, true, actor, "moving on");
      // end::change[]
      assertThat(PlanChangeOutcome.Result.values()).hasSize(4);
      assertThat(Duration.ofDays(1)).isPositive();
    }
  }
}
