package dev.billingsdk.subscription;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlanDraft;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.SubscriptionUpdated;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.memory.InMemorySubscriptionStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.testing.TestClock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A platform selling plans, on the in-memory stores and a story clock. */
class SubscriptionWorld {
  static final TenantId ACME = TenantId.of("acme");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Actor ADMIN = Actor.of("ada", Role.ADMIN, Role.FINANCE);
  static final Actor CUSTOMER = Actor.of("cara", Role.USER);
  static final Actor JOB = Actor.system("renewal-job");
  static final AccountId CARA = AccountId.of("cara");
  static final PlanId STARTER = PlanId.of("starter");
  static final PlanId PRO = PlanId.of("pro");
  static final PlanId TEAM = PlanId.of("team");

  final TestClock clock;
  final RecurringProvider provider = new RecurringProvider();
  final List<BillingEvent> events = new CopyOnWriteArrayList<>();
  final BillingStore store;
  final SubscriptionStore subscriptionStore;
  final InMemoryPurchaseStore purchaseStore;
  final InMemoryCatalogueStore catalogueStore;
  final InMemoryEconomyStore economyStore;
  final Billing billing;

  SubscriptionWorld(Instant start, ZoneId zone, DunningSchedule dunning) {
    this(
        start,
        zone,
        dunning,
        InMemoryBillingStore.create(),
        InMemorySubscriptionStore.create(),
        InMemoryPurchaseStore.create(),
        InMemoryCatalogueStore.create(),
        InMemoryEconomyStore.create());
  }

  SubscriptionWorld(
      Instant start,
      ZoneId zone,
      DunningSchedule dunning,
      BillingStore store,
      SubscriptionStore subscriptionStore,
      InMemoryPurchaseStore purchaseStore,
      InMemoryCatalogueStore catalogueStore,
      InMemoryEconomyStore economyStore) {
    this.clock = new TestClock(start);
    this.store = store;
    this.subscriptionStore = subscriptionStore;
    this.purchaseStore = purchaseStore;
    this.catalogueStore = catalogueStore;
    this.economyStore = economyStore;
    this.billing = instance(dunning);
    if (billing.economy().settings(ACME).isEmpty()) {
      billing
          .economy()
          .saveSettings(
              SettingsUpdate.of(
                  ACME,
                  0,
                  EconomySettings.builder(CreditPrice.of(credits(100), Amount.of(USD, 1)))
                      .subscriptionsEnabled(true)
                      .calendarZone(zone)
                      .build(),
                  ADMIN,
                  "subscriptions on"));
      plan(STARTER, "Starter", "10.00", 1_000);
      plan(PRO, "Pro", "30.00", 4_000);
      plan(TEAM, "Team", "90.00", 15_000);
      billing
          .credits()
          .openAccount(OpenAccountRequest.builder(ACME, CARA, CREDIT).actor(ADMIN).build());
    }
  }

  /** Another instance of the library on the same stores, as a second process would have. */
  Billing instance(DunningSchedule dunning) {
    return Billing.builder()
        .store(store)
        .catalogue(catalogueStore)
        .purchases(purchaseStore, purchaseStore)
        .paymentProvider(provider)
        .economy(economyStore)
        .subscriptions(subscriptionStore, dunning)
        .clock(clock)
        .listener(events::add)
        .build();
  }

  void plan(PlanId id, String name, String usd, long credits) {
    billing
        .catalogue()
        .createPlan(
            ACME,
            SubscriptionPlanDraft.builder(id, name)
                .cadence(Period.ofMonths(1))
                .price(Amount.of(USD, usd))
                .allowance(credits(credits))
                .build(),
            ADMIN);
  }

  static Amount credits(long n) {
    return Amount.of(CREDIT, n);
  }

  Subscriptions subscriptions() {
    return billing.subscriptions();
  }

  Subscription subscription(String id) {
    return subscriptions().subscription(ACME, SubscriptionId.of(id)).orElseThrow();
  }

  RenewalRun renew() {
    return subscriptions().runRenewals(ACME, JOB);
  }

  AccountBalance balance() {
    return billing.credits().balance(ACME, CARA);
  }

  List<GrantBalance> allowances() {
    return billing.credits().grants(ACME, CARA).stream()
        .filter(g -> g.grant().category().equals(GrantCategory.SUBSCRIPTION_ALLOWANCE))
        .toList();
  }

  List<SubscriptionChange.Kind> eventKinds() {
    return events.stream()
        .filter(e -> e instanceof SubscriptionUpdated)
        .map(e -> ((SubscriptionUpdated) e).change())
        .toList();
  }
}
