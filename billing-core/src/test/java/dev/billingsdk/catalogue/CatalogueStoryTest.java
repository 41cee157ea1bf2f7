package dev.billingsdk.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stories of a catalogue manager on an injected clock: packages and plans created, revised and
 * archived; history kept, buyers' versions untouched, the cheapest package per credit found.
 */
class CatalogueStoryTest {
  static final TenantId ACME = TenantId.of("acme");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CurrencyUnit EUR = CurrencyUnit.of("EUR");
  static final Actor ALICE = Actor.of("alice", Role.ADMIN);
  static final Actor BOB = Actor.of("bob", Role.FINANCE);

  final TestClock clock = new TestClock(Instant.parse("2026-01-31T10:00:00Z"));
  final InMemoryCatalogueStore store = InMemoryCatalogueStore.create();
  final Catalogue catalogue =
      Billing.builder()
          .store(InMemoryBillingStore.create())
          .clock(clock)
          .catalogue(store)
          .build()
          .catalogue();

  static CreditPackageDraft.Builder pkg(String id, long credits, long bonus, String usd) {
    return CreditPackageDraft.builder(PackageId.of(id), id + " pack")
        .credits(Amount.of(CREDIT, credits))
        .bonusCredits(Amount.of(CREDIT, bonus))
        .price(Amount.of(USD, usd));
  }

  @Test
  @DisplayName("a package is created, revised and archived; every version stays readable")
  void packageLifecycle() {
    CreditPackage v1 =
        catalogue.createPackage(ACME, pkg("starter", 1000, 0, "10.00").build(), ALICE);
    assertThat(v1.revision()).isEqualTo(Revision.of(1, ChangeKind.CREATED, ALICE, clock.instant()));
    assertThat(v1.status()).isEqualTo(ItemStatus.ACTIVE);

    clock.advance(Duration.ofDays(30));
    CreditPackage v2 =
        catalogue.revisePackage(ACME, pkg("starter", 1000, 250, "12.00").build(), 1, BOB);
    assertThat(v2.revision().version()).isEqualTo(2);
    assertThat(v2.revision().change()).isEqualTo(ChangeKind.REVISED);
    assertThat(v2.revision().actor()).isEqualTo(BOB);
    assertThat(v2.revision().at()).isEqualTo(clock.instant());

    // Kill Bill #1110 / #1120: a version bought before a price change keeps its price.
    assertThat(catalogue.creditPackage(ACME, PackageId.of("starter"), 1)).contains(v1);
    assertThat(catalogue.creditPackage(ACME, PackageId.of("starter"))).contains(v2);

    clock.advance(Duration.ofDays(1));
    CreditPackage v3 = catalogue.archivePackage(ACME, PackageId.of("starter"), 2, ALICE);
    assertThat(v3.status()).isEqualTo(ItemStatus.ARCHIVED);
    assertThat(v3.purchasable()).isFalse();
    assertThat(v3.price()).isEqualTo(v2.price());
    assertThat(catalogue.creditPackages(ACME)).containsExactly(v3);
    assertThat(catalogue.packagesByCostPerCredit(ACME, USD)).isEmpty();

    // The audit trail: who, when, before and after.
    List<CatalogueChange<CreditPackage>> history =
        catalogue.packageHistory(ACME, PackageId.of("starter"));
    assertThat(history)
        .containsExactly(
            new CatalogueChange<>(Optional.empty(), v1),
            new CatalogueChange<>(Optional.of(v1), v2),
            new CatalogueChange<>(Optional.of(v2), v3));

    // Archived items are read-only.
    assertThatThrownBy(
            () -> catalogue.revisePackage(ACME, pkg("starter", 1, 0, "1.00").build(), 3, ALICE))
        .isInstanceOf(CatalogueItemArchivedException.class);
    assertThatThrownBy(() -> catalogue.archivePackage(ACME, PackageId.of("starter"), 3, ALICE))
        .isInstanceOf(CatalogueItemArchivedException.class);
    assertThat(store.versions(ACME, CatalogueItem.Kind.CREDIT_PACKAGE, "starter")).hasSize(3);
  }

  @Test
  @DisplayName("two editors of one version: the second is refused and nothing of it is stored")
  void staleEditIsRefused() {
    catalogue.createPackage(ACME, pkg("pro", 5000, 0, "40.00").build(), ALICE);
    CreditPackage alices =
        catalogue.revisePackage(ACME, pkg("pro", 5000, 500, "40.00").build(), 1, ALICE);
    assertThatThrownBy(
            () -> catalogue.revisePackage(ACME, pkg("pro", 6000, 0, "45.00").build(), 1, BOB))
        .isInstanceOfSatisfying(
            CatalogueVersionConflictException.class,
            e -> {
              assertThat(e.expectedVersion()).isEqualTo(1);
              assertThat(e.actualVersion()).isEqualTo(2);
            });
    assertThat(catalogue.creditPackage(ACME, PackageId.of("pro"))).contains(alices);
  }

  @Test
  @DisplayName("Lago #5870: creating the same package twice does not make two; the first stays")
  void duplicateCreateIsRefused() {
    CreditPackage first =
        catalogue.createPackage(ACME, pkg("top-up", 100, 0, "1.00").build(), ALICE);
    assertThatThrownBy(
            () -> catalogue.createPackage(ACME, pkg("top-up", 100, 0, "1.00").build(), ALICE))
        .isInstanceOf(CatalogueVersionConflictException.class);
    assertThat(catalogue.packageHistory(ACME, PackageId.of("top-up"))).hasSize(1);
    assertThat(catalogue.creditPackages(ACME)).containsExactly(first);
  }

  @Test
  @DisplayName("Kill Bill #2037: a new version cannot change what the item is sold in or grants")
  void aVersionKeepsItsUnits() {
    catalogue.createPackage(ACME, pkg("p", 100, 0, "1.00").build(), ALICE);
    CreditPackageDraft inEuros =
        CreditPackageDraft.builder(PackageId.of("p"), "p")
            .credits(Amount.of(CREDIT, 100))
            .price(Amount.of(EUR, "1.00"))
            .build();
    assertThatThrownBy(() -> catalogue.revisePackage(ACME, inEuros, 1, ALICE))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("price"));
    CreditPackageDraft inTokens =
        CreditPackageDraft.builder(PackageId.of("p"), "p")
            .credits(Amount.of(CreditUnit.of("TOKEN", 0), 100))
            .price(Amount.of(USD, "1.00"))
            .build();
    assertThatThrownBy(() -> catalogue.revisePackage(ACME, inTokens, 1, ALICE))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("credits"));
    assertThat(catalogue.packageHistory(ACME, PackageId.of("p"))).hasSize(1);
  }

  @Test
  @DisplayName("the most economical package: ordered by the exact cost per credit, bonus included")
  void cheapestPerCreditFirst() {
    // 3 USD for 7 credits (0.428571...) and 3 USD for 7 credits + 0 bonus in another id tie;
    // 0.43 USD for 1 credit rounds to the same 0.43 but is dearer exactly.
    catalogue.createPackage(ACME, pkg("sevens", 7, 0, "3.00").build(), ALICE);
    catalogue.createPackage(ACME, pkg("single", 1, 0, "0.43").build(), ALICE);
    catalogue.createPackage(ACME, pkg("bonus", 1000, 250, "10.00").build(), ALICE);
    catalogue.createPackage(ACME, pkg("bulk", 10_000, 0, "80.00").build(), ALICE);
    catalogue.createPackage(
        ACME,
        CreditPackageDraft.builder(PackageId.of("euro"), "euro")
            .credits(Amount.of(CREDIT, 10))
            .price(Amount.of(EUR, "0.01"))
            .build(),
        ALICE);
    catalogue.createPackage(ACME, pkg("old", 1_000_000, 0, "1.00").build(), ALICE);
    catalogue.archivePackage(ACME, PackageId.of("old"), 1, ALICE);

    List<CreditPackage> byCost = catalogue.packagesByCostPerCredit(ACME, USD);
    assertThat(byCost)
        .extracting(p -> p.id().value())
        .containsExactly("bonus", "bulk", "sevens", "single");
    CreditPackage bonus = byCost.get(0);
    assertThat(bonus.effectiveCredits()).isEqualTo(Amount.of(CREDIT, 1250));
    assertThat(bonus.costPerCredit(4, RoundingMode.HALF_EVEN)).isEqualByComparingTo("0.0080");
    CreditPackage sevens = byCost.get(2);
    CreditPackage single = byCost.get(3);
    // Rounded to cents both are 0.43; exactly, 3/7 < 0.43. Rounding per line would tie them.
    assertThat(sevens.costPerCredit(2, RoundingMode.HALF_UP)).isEqualByComparingTo("0.43");
    assertThat(single.costPerCredit(2, RoundingMode.HALF_UP)).isEqualByComparingTo("0.43");
    assertThat(sevens.costPerCredit()).isLessThan(single.costPerCredit());
    assertThat(sevens.costPerCredit(6, RoundingMode.HALF_EVEN))
        .isEqualTo(new BigDecimal("0.428571"));
    // The purchased grant's cost basis is the price over purchased credits, not bonus.
    assertThat(bonus.purchasedCostBasis().price().orElseThrow().cost())
        .isEqualTo(Amount.of(USD, "10.00"));
    assertThat(bonus.purchasedCostBasis().price().orElseThrow().per())
        .isEqualTo(Amount.of(CREDIT, 1000));
  }

  @Test
  @DisplayName("a plan: monthly, priced in two currencies, an allowance and features; revised")
  void planLifecycle() {
    SubscriptionPlanDraft pro =
        SubscriptionPlanDraft.builder(PlanId.of("pro"), "Pro")
            .cadence(Period.ofMonths(1))
            .price(Amount.of(USD, "29.00"))
            .price(Amount.of(EUR, "27.00"))
            .allowance(Amount.of(CREDIT, 10_000))
            .feature("api-access")
            .feature("priority-support")
            .allowanceTemplate(
                GrantTemplate.of(10, Optional.of(Period.ofMonths(1)), Scope.everything()))
            .providerRef("stripe", "price_pro_monthly")
            .build();
    SubscriptionPlan v1 = catalogue.createPlan(ACME, pro, ALICE);
    assertThat(v1.price(USD)).contains(Amount.of(USD, "29.00"));
    assertThat(v1.price(CurrencyUnit.of("GBP"))).isEmpty();
    assertThat(v1.includes("api-access")).isTrue();
    assertThat(v1.includes("sso")).isFalse();
    assertThat(v1.providerRefs()).containsEntry("stripe", "price_pro_monthly");

    SubscriptionPlan v2 =
        catalogue.revisePlan(
            ACME,
            SubscriptionPlanDraft.builder(PlanId.of("pro"), "Pro")
                .cadence(Period.ofMonths(1))
                .price(Amount.of(USD, "35.00"))
                .allowance(Amount.of(CREDIT, 12_000))
                .feature("api-access")
                .build(),
            1,
            BOB);
    assertThat(catalogue.plan(ACME, PlanId.of("pro"), 1)).contains(v1);
    assertThat(catalogue.plan(ACME, PlanId.of("pro"))).contains(v2);
    assertThat(catalogue.plans(ACME)).containsExactly(v2);
    SubscriptionPlan v3 = catalogue.archivePlan(ACME, PlanId.of("pro"), 2, ALICE);
    assertThat(v3.purchasable()).isFalse();
    assertThat(catalogue.planHistory(ACME, PlanId.of("pro")))
        .extracting(c -> c.after().revision().change())
        .containsExactly(ChangeKind.CREATED, ChangeKind.REVISED, ChangeKind.ARCHIVED);
    assertThatThrownBy(
            () ->
                catalogue.revisePlan(
                    ACME,
                    SubscriptionPlanDraft.builder(PlanId.of("pro"), "Pro")
                        .cadence(Period.ofMonths(1))
                        .price(Amount.of(USD, "35.00"))
                        .allowance(Amount.of(CreditUnit.of("TOKEN", 0), 1))
                        .build(),
                    3,
                    BOB))
        .isInstanceOf(CatalogueItemArchivedException.class);
  }

  @Test
  @DisplayName("only admins and finance manage the catalogue; a refused change stores nothing")
  void accessIsChecked() {
    Actor job = Actor.system("nightly");
    assertThatThrownBy(() -> catalogue.createPackage(ACME, pkg("x", 1, 0, "1.00").build(), job))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(catalogue.creditPackages(ACME)).isEmpty();
  }

  @Test
  @DisplayName("reads of what does not exist are empty; changes to it are refused by type")
  void missingItems() {
    assertThat(catalogue.creditPackage(ACME, PackageId.of("none"))).isEmpty();
    assertThat(catalogue.creditPackage(ACME, PackageId.of("none"), 1)).isEmpty();
    assertThat(catalogue.plan(ACME, PlanId.of("none"))).isEmpty();
    assertThat(catalogue.packageHistory(ACME, PackageId.of("none"))).isEmpty();
    assertThatThrownBy(() -> catalogue.archivePackage(ACME, PackageId.of("none"), 1, ALICE))
        .isInstanceOfSatisfying(
            CatalogueItemNotFoundException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(CatalogueItem.Kind.CREDIT_PACKAGE);
              assertThat(e.itemId()).isEqualTo("none");
            });
    assertThatThrownBy(() -> catalogue.archivePlan(ACME, PlanId.of("none"), 0, ALICE))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("basedOn"));
    // A package and a plan may share an id; tenants never share items.
    catalogue.createPackage(ACME, pkg("same", 1, 0, "1.00").build(), ALICE);
    assertThat(catalogue.plan(ACME, PlanId.of("same"))).isEmpty();
    assertThat(catalogue.creditPackages(TenantId.of("other"))).isEmpty();
  }

  @Test
  @DisplayName("Billing without a catalogue store says how to configure one")
  void notConfigured() {
    Billing billing = Billing.builder().store(InMemoryBillingStore.create()).build();
    assertThatThrownBy(billing::catalogue)
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("catalogue"));
  }

  @Test
  @DisplayName("validity in calendar months from month end: 31 January plus a month is 28 February")
  void validityFromMonthEnd() {
    GrantTemplate monthly =
        GrantTemplate.of(50, Optional.of(Period.ofMonths(1)), Scope.everything());
    assertThat(monthly.expiryFrom(Instant.parse("2026-01-31T10:00:00Z")))
        .contains(Instant.parse("2026-02-28T10:00:00Z"));
    assertThat(monthly.expiryFrom(Instant.parse("2028-01-31T23:30:00Z")))
        .contains(Instant.parse("2028-02-29T23:30:00Z"));
    assertThat(monthly.expiryFrom(Instant.parse("2026-03-31T00:00:00Z")))
        .contains(Instant.parse("2026-04-30T00:00:00Z"));
    assertThat(GrantTemplate.standard().expiryFrom(Instant.parse("2026-03-31T00:00:00Z")))
        .isEmpty();
  }
}
