package dev.billingsdk.examples;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlanDraft;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.economy.AllowanceReset;
import dev.billingsdk.economy.AllowanceResetRequest;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.Referral;
import dev.billingsdk.economy.ReferralOutcome;
import dev.billingsdk.economy.ReferralRequest;
import dev.billingsdk.economy.ResetMovement;
import dev.billingsdk.economy.SettingsChange;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.memory.InMemorySubscriptionStore;
import dev.billingsdk.memory.InMemoryTopUpStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.stripe.StripeApiKey;
import dev.billingsdk.stripe.StripePaymentProvider;
import dev.billingsdk.stripe.testing.FakeStripe;
import dev.billingsdk.subscription.DunningSchedule;
import dev.billingsdk.subscription.SubscribeRequest;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionId;
import dev.billingsdk.topup.TopUpOutcome;
import dev.billingsdk.topup.TopUpRuleRequest;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * A month of a small AI platform, on in-memory stores and a local fake Stripe: finance saves the
 * credit settings; five people sign up; an agent refers three of them (the monthly cap stops the
 * third reward); one subscribes to Pro; usage; one account's balance crosses its auto-top-up
 * threshold; the partner allowance reset runs dry first, then for real; on January 1 the
 * subscription renews and the reset moves the partner to January. Then what finance sees.
 */
public final class PlatformMonthTour {
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final TenantId TENANT = TenantId.of("acme-ai");
  static final Actor FINANCE = Actor.of("fiona", Role.FINANCE);
  static final Actor SYSTEM = Actor.system("platform");
  static final Instant DEC_1 = Instant.parse("2026-12-01T09:00:00Z");
  static final List<String> PEOPLE = List.of("kim", "lee", "max", "noa", "pat");

  private PlatformMonthTour() {}

  public static void main(String[] args) {
    run(System.out);
  }

  private static AccountId id(String name) {
    return AccountId.of(name);
  }

  /** Runs the month, printing each step and what finance sees at the end. */
  public static Map<String, AccountBalance> run(PrintStream out) {
    LifecycleTour.TourClock clock = new LifecycleTour.TourClock(DEC_1);
    try (FakeStripe stripe = FakeStripe.builder().clock(clock).start()) {
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
              .economy(InMemoryEconomyStore.create())
              .subscriptions(InMemorySubscriptionStore.create(), DunningSchedule.standard())
              .autoTopUps(InMemoryTopUpStore.create())
              .clock(clock)
              .build();

      out.println("== December 1: finance saves the credit settings and the catalogue");
      SettingsVersion v1 =
          billing
              .economy()
              .saveSettings(
                  SettingsUpdate.of(
                      TENANT,
                      0,
                      EconomySettings.builder(
                              CreditPrice.of(Amount.of(CREDIT, 100), Amount.of(USD, 1)))
                          .signUpCredits(Amount.of(CREDIT, 500))
                          .referralCredits(Amount.of(CREDIT, 200))
                          .maxReferralsPerMonth(2)
                          .agentRevenueShare(Percentage.of("10"))
                          .dryRunMonthlyReset(true)
                          .subscriptionsEnabled(true)
                          .build(),
                      FINANCE,
                      "launch"));
      billing
          .catalogue()
          .createPlan(
              TENANT,
              SubscriptionPlanDraft.builder(PlanId.of("pro"), "Pro")
                  .cadence(Period.ofMonths(1))
                  .price(Amount.of(USD, "30.00"))
                  .allowance(Amount.of(CREDIT, 4_000))
                  .build(),
              FINANCE);
      billing
          .catalogue()
          .createPackage(
              TENANT,
              CreditPackageDraft.builder(PackageId.of("boost"), "Boost")
                  .credits(Amount.of(CREDIT, 5_000))
                  .price(Amount.of(USD, "50.00"))
                  .build(),
              FINANCE);
      out.printf("settings v%d: %s%n", v1.version(), v1.settings().creditPrice());

      out.println("== Sign-ups: 500 credits each, once");
      for (String name : PEOPLE) {
        billing
            .credits()
            .openAccount(
                OpenAccountRequest.builder(TENANT, id(name), CREDIT).actor(FINANCE).build());
        out.printf(
            "%s: %s%n",
            name,
            billing
                .economy()
                .awardSignUpCredits(TENANT, id(name), SYSTEM)
                .getClass()
                .getSimpleName());
      }

      out.println("== Kim refers Lee, Max and Noa: at most 2 rewards a month");
      for (String referred : List.of("lee", "max", "noa")) {
        clock.advance(Duration.ofHours(1));
        ReferralOutcome r =
            billing
                .economy()
                .recordReferral(
                    ReferralRequest.of(TENANT, id("kim"), id(referred), clock.instant(), SYSTEM));
        out.printf("%s: %s%n", referred, describe(r));
      }

      out.println("== Lee subscribes to Pro with a saved card");
      clock.advance(Duration.ofHours(1));
      var started =
          billing
              .subscriptions()
              .subscribe(
                  SubscribeRequest.builder(
                          TENANT, id("lee"), SubscriptionId.of("lee-pro"), PlanId.of("pro"), USD)
                      .provider("stripe")
                      .savedMethod("cus_Lee", "pm_Lee")
                      .actor(Actor.of("lee", Role.USER))
                      .build());
      out.printf(
          "lee-pro: %s, renews %s%n",
          started.subscription().state(), started.subscription().paidUntil());

      out.println("== Max sets auto-top-up: below 300 credits, buy Boost");
      billing
          .autoTopUps()
          .configure(
              TopUpRuleRequest.builder(TENANT, id("max"), Amount.of(CREDIT, 300))
                  .creditPackage(PackageId.of("boost"))
                  .provider("stripe")
                  .savedMethod("cus_Max", "pm_Max")
                  .monthlyCap(Amount.of(USD, "100.00"))
                  .actor(Actor.of("max", Role.USER))
                  .build());

      out.println("== December 14: usage");
      clock.advance(Duration.ofDays(13));
      use(billing, "lee", 2_600, 1);
      use(billing, "max", 450, 2);
      for (TopUpOutcome o : billing.autoTopUps().run(TENANT, SYSTEM)) {
        out.printf("top-up for %s: %s (%s)%n", o.account(), o.result(), o.purchase().orElseThrow());
      }

      out.println("== The partner allowance reset for December: a dry run first");
      AllowanceResetRequest.Builder december =
          AllowanceResetRequest.builder(TENANT, YearMonth.of(2026, 12))
              .allowance(id("pat"), Amount.of(CREDIT, 3_000))
              .actor(SYSTEM);
      AllowanceReset dry = billing.economy().resetPartnerAllowances(december.build());
      printMovements(out, dry);
      billing
          .economy()
          .saveSettings(
              SettingsUpdate.of(
                  TENANT,
                  1,
                  EconomySettings.builder(v1.settings()).dryRunMonthlyReset(false).build(),
                  FINANCE,
                  "figures checked"));
      printMovements(
          out,
          billing
              .economy()
              .resetPartnerAllowances(
                  AllowanceResetRequest.builder(TENANT, YearMonth.of(2026, 12))
                      .allowance(id("pat"), Amount.of(CREDIT, 3_000))
                      .actor(SYSTEM)
                      .build()));
      use(billing, "pat", 1_000, 3);

      out.println("== January 1: renewals and the partner reset");
      clock.advance(Duration.between(clock.instant(), Instant.parse("2027-01-01T14:00:00Z")));
      for (SubscriptionChange c : billing.subscriptions().runRenewals(TENANT, SYSTEM).changes()) {
        out.printf("%s: %s (%s)%n", c.subscription(), c.kind(), c.detail());
      }
      printMovements(
          out,
          billing
              .economy()
              .resetPartnerAllowances(
                  AllowanceResetRequest.builder(TENANT, YearMonth.of(2027, 1))
                      .allowance(id("pat"), Amount.of(CREDIT, 3_000))
                      .actor(SYSTEM)
                      .build()));

      out.println("== What finance sees");
      out.println("-- settings history");
      for (SettingsChange c : billing.economy().history(TENANT)) {
        out.printf(
            "v%d by %s (%s): %s%n",
            c.version().version(), c.version().actor().id(), c.version().reason(), c.changes());
      }
      out.println("-- balances by category");
      Map<String, AccountBalance> balances = new java.util.TreeMap<>();
      for (String name : PEOPLE) {
        AccountBalance b = billing.credits().balance(TENANT, id(name));
        balances.put(name, b);
        StringBuilder line = new StringBuilder(String.format("%-4s %-12s", name, b.available()));
        for (Map.Entry<GrantCategory, Amount> e : b.availableByCategory().entrySet()) {
          line.append(String.format(" %s=%d", e.getKey(), e.getValue().minor()));
        }
        out.println(line);
      }
      out.println("-- purchases");
      for (String pid : List.of("lee-pro-p0-a1", "lee-pro-p1-a1", "max-topup-1")) {
        Purchase p = billing.purchases().purchase(TENANT, PurchaseId.of(pid)).orElse(null);
        if (p == null) {
          out.println(pid + " (none)");
          continue;
        }
        out.printf("%-14s %-6s %-10s %s%n", p.id(), p.item().itemId(), p.amount(), p.state());
      }
      out.println("-- referrals of kim");
      for (Referral r : billing.economy().referralsBy(TENANT, id("kim"))) {
        out.printf("%s %s rewarded=%s%n", r.referred(), r.month(), r.rewarded());
      }
      return balances;
    }
  }

  private static String describe(ReferralOutcome r) {
    if (r instanceof ReferralOutcome.NotRewarded n) {
      return "recorded, not rewarded: " + n.reason();
    }
    return r.getClass().getSimpleName()
        + " "
        + r.referral().reward().map(Amount::toString).orElse("");
  }

  private static void printMovements(PrintStream out, AllowanceReset r) {
    out.printf("reset %s (dry run: %s)%n", r.month(), r.dryRun());
    for (ResetMovement m : r.movements()) {
      out.printf("  %s %s %s %s%n", m.account(), m.kind(), m.amount(), m.state());
    }
  }

  private static void use(Billing billing, String name, long credits, int n) {
    billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    TENANT,
                    id(name),
                    Charge.of(ChargeKind.USAGE, "gpu-hours", Amount.of(CREDIT, credits)))
                .idempotencyKey(IdempotencyKey.of("usage-" + n))
                .actor(SYSTEM)
                .reason("deployment usage")
                .build());
  }
}
