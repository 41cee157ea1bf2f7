package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlanDraft;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CatalogueStore;
import dev.billingsdk.spi.EconomyStore;
import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.spi.PurchaseStore;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.spi.TopUpStore;
import dev.billingsdk.subscription.DunningSchedule;
import dev.billingsdk.subscription.SubscribeRequest;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionId;
import dev.billingsdk.subscription.SubscriptionState;
import dev.billingsdk.testkit.TestClock;
import dev.billingsdk.topup.TopUpRuleRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions and auto-top-up on a store's parts together, driven by two {@code Billing}
 * instances as two processes would: debits crossing a top-up threshold at once buy one top-up, and
 * renewals run from many threads through both instances pay and grant each period once, with the
 * month-end anchor. An adapter supplies the stores of each instance.
 */
public abstract class RecurringFlowTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected RecurringFlowTck() {}

  /** The stores one process uses. */
  public record Stores(
      BillingStore ledger,
      CatalogueStore catalogue,
      PurchaseStore purchases,
      ProviderEventStore events,
      EconomyStore economy,
      SubscriptionStore subscriptions,
      TopUpStore topUps) {}

  protected abstract Stores first();

  /** A second instance's stores on the same storage (the first's, by default). */
  protected Stores second() {
    return first();
  }

  /** Threads racing (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Actor ADMIN = Actor.of("recurring-admin", Role.ADMIN, Role.FINANCE);
  static final Actor JOB = Actor.system("recurring-job");

  private final TestClock clock = new TestClock(Instant.parse("2026-01-31T10:00:00Z"));
  private String run = "x";
  private TenantId tenant = TenantId.of("x");
  private OffSessionProvider provider = new OffSessionProvider("x");
  private Billing one =
      Billing.builder().store(dev.billingsdk.memory.InMemoryBillingStore.create()).build();
  private Billing two = one;

  private Billing instance(Stores s) {
    return Billing.builder()
        .store(s.ledger())
        .catalogue(s.catalogue())
        .purchases(s.purchases(), s.events())
        .paymentProvider(provider)
        .economy(s.economy())
        .subscriptions(s.subscriptions(), DunningSchedule.standard())
        .autoTopUps(s.topUps())
        .clock(clock)
        .build();
  }

  @BeforeEach
  void world() {
    run = UUID.randomUUID().toString().substring(0, 8);
    tenant = TenantId.of("recurring-" + run);
    provider = new OffSessionProvider(run);
    clock.set(Instant.parse("2026-01-31T10:00:00Z"));
    one = instance(first());
    two = instance(second());
    one.economy()
        .saveSettings(
            SettingsUpdate.of(
                tenant,
                0,
                EconomySettings.builder(CreditPrice.of(Amount.of(CREDIT, 100), Amount.of(USD, 1)))
                    .subscriptionsEnabled(true)
                    .build(),
                ADMIN,
                "on"));
    one.catalogue()
        .createPackage(
            tenant,
            CreditPackageDraft.builder(PackageId.of("boost"), "Boost")
                .credits(Amount.of(CREDIT, 1_000))
                .price(Amount.of(USD, "10.00"))
                .build(),
            ADMIN);
    one.catalogue()
        .createPlan(
            tenant,
            SubscriptionPlanDraft.builder(PlanId.of("pro"), "Pro")
                .cadence(Period.ofMonths(1))
                .price(Amount.of(USD, "30.00"))
                .allowance(Amount.of(CREDIT, 4_000))
                .build(),
            ADMIN);
  }

  private AccountId open(String id, long credits) {
    AccountId account = AccountId.of(id);
    one.credits()
        .openAccount(OpenAccountRequest.builder(tenant, account, CREDIT).actor(ADMIN).build());
    if (credits > 0) {
      one.credits()
          .grant(
              GrantRequest.builder(tenant, account, Amount.of(CREDIT, credits))
                  .idempotencyKey(IdempotencyKey.of("opening-" + id))
                  .actor(ADMIN)
                  .reason("opening balance")
                  .build());
    }
    return account;
  }

  @Nested
  @DisplayName("Auto-top-up: debits crossing the threshold at once buy one top-up")
  class TopUps {

    @Test
    void required_eightDebitsCrossingTheThresholdAtOnceBuyOneTopUp() {
      AccountId lab = open("lab", 1_000);
      one.autoTopUps()
          .configure(
              TopUpRuleRequest.builder(tenant, lab, Amount.of(CREDIT, 200))
                  .creditPackage(PackageId.of("boost"))
                  .provider("offsession")
                  .savedMethod("cus_lab", "pm_lab")
                  .monthlyCap(Amount.of(USD, "100.00"))
                  .actor(ADMIN)
                  .build());
      int threads = Math.max(2, concurrentThreads());
      // 1000 - threads × 100: below 200 by exactly one of the debits (800 at most spent in 8).
      long each = 800 / threads + 1;
      Races.race(
          threads,
          i -> {
            Billing through = i % 2 == 0 ? one : two;
            return () -> {
              through
                  .credits()
                  .charge(
                      ChargeRequest.builder(
                              tenant,
                              lab,
                              Charge.of(ChargeKind.USAGE, "gpu", Amount.of(CREDIT, each)))
                          .idempotencyKey(IdempotencyKey.of("use-" + i))
                          .actor(JOB)
                          .reason("usage")
                          .build());
              return through.autoTopUps().runFor(tenant, lab, JOB);
            };
          });
      one.autoTopUps().run(tenant, JOB);
      assertThat(provider.taken).hasSize(1);
      assertThat(
              one.purchases().purchase(tenant, PurchaseId.of("lab-topup-1")).orElseThrow().state())
          .isEqualTo(PurchaseState.PAID);
      assertThat(one.purchases().purchase(tenant, PurchaseId.of("lab-topup-2"))).isEmpty();
      assertThat(one.credits().balance(tenant, lab).available())
          .isEqualTo(Amount.of(CREDIT, 1_000 - each * threads + 1_000));
    }
  }

  @Nested
  @DisplayName(
      "Subscriptions: renewals racing through two instances pay and grant each period once")
  class Renewals {

    @Test
    void required_renewalsRacingThroughTwoInstancesPayAndGrantEachPeriodOnce() {
      AccountId cara = open("cara", 0);
      Subscription s =
          one.subscriptions()
              .subscribe(
                  SubscribeRequest.builder(
                          tenant, cara, SubscriptionId.of("cara-pro"), PlanId.of("pro"), USD)
                      .provider("offsession")
                      .savedMethod("cus_cara", "pm_cara")
                      .actor(ADMIN)
                      .build())
              .subscription();
      assertThat(s.state()).isEqualTo(SubscriptionState.ACTIVE);
      int threads = Math.max(2, concurrentThreads());
      for (String at :
          List.of("2026-02-28T10:00:00Z", "2026-03-31T10:00:00Z", "2026-04-30T10:00:00Z")) {
        clock.set(Instant.parse(at));
        Races.race(
            threads,
            i -> {
              Billing through = i % 2 == 0 ? one : two;
              return () -> through.subscriptions().runRenewals(tenant, JOB);
            });
      }
      Subscription after = two.subscriptions().subscription(tenant, s.id()).orElseThrow();
      assertThat(after.paidPeriods()).isEqualTo(4);
      assertThat(after.paidUntil()).isEqualTo(Instant.parse("2026-05-31T10:00:00Z"));
      assertThat(provider.taken).hasSize(4);
      List<GrantBalance> allowances =
          one.credits().grants(tenant, cara).stream()
              .filter(g -> g.grant().category().equals(GrantCategory.SUBSCRIPTION_ALLOWANCE))
              .toList();
      assertThat(allowances)
          .extracting(g -> g.grant().metadata().get("subscription.period"))
          .containsExactlyInAnyOrder("0", "1", "2", "3");
      assertThat(allowances)
          .extracting(g -> g.grant().expiresAt().orElseThrow())
          .containsExactlyInAnyOrder(
              Instant.parse("2026-02-28T10:00:00Z"),
              Instant.parse("2026-03-31T10:00:00Z"),
              Instant.parse("2026-04-30T10:00:00Z"),
              Instant.parse("2026-05-31T10:00:00Z"));
      assertThat(one.credits().balance(tenant, cara).available())
          .isEqualTo(Amount.of(CREDIT, 4_000));
      assertThat(one.subscriptions().history(tenant, s.id())).hasSize(5);
      assertThat(Duration.between(s.anchor(), after.paidUntil()).toDays()).isEqualTo(120);
    }
  }
}
