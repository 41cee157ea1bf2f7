package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.Catalogue;
import dev.billingsdk.catalogue.CatalogueChange;
import dev.billingsdk.catalogue.CatalogueVersionConflictException;
import dev.billingsdk.catalogue.CreditPackage;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.GrantTemplate;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlan;
import dev.billingsdk.catalogue.SubscriptionPlanDraft;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.setup.Billing;
import java.math.RoundingMode;
import java.time.Period;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The code of docs/catalogue.md, run. */
class CatalogueSnippetsTest {

  @Test
  void packagesPlansAndVersions() {
    // tag::setup[]
    Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create()) // or a JdbcBillingStore
            .catalogue(InMemoryCatalogueStore.create()) // or JdbcCatalogueStore.create(ds, prefix)
            .build();
    Catalogue catalogue = billing.catalogue();
    TenantId tenant = TenantId.of("acme-ai");
    Actor ada = Actor.of("ada", Role.ADMIN);
    CreditUnit credit = CreditUnit.of("CREDIT", 0);
    CurrencyUnit usd = CurrencyUnit.of("USD");
    // end::setup[]

    // tag::packages[]
    CreditPackage starter =
        catalogue.createPackage(
            tenant,
            CreditPackageDraft.builder(PackageId.of("starter"), "Starter")
                .credits(Amount.of(credit, 1_000))
                .price(Amount.of(usd, "10.00"))
                .build(),
            ada);
    catalogue.createPackage(
        tenant,
        CreditPackageDraft.builder(PackageId.of("growth"), "Growth")
            .credits(Amount.of(credit, 5_000))
            .bonusCredits(Amount.of(credit, 1_000)) // free: its grant has a zero cost basis
            .price(Amount.of(usd, "45.00"))
            .grantTemplate(GrantTemplate.of(40, Optional.of(Period.ofYears(1)), Scope.everything()))
            .providerRef("stripe", "price_1QGrowth") // if the checkout sells a Stripe Price
            .build(),
        ada);

    // The most economical first, by the exact price of a credit received (bonus included).
    List<CreditPackage> cheapestFirst = catalogue.packagesByCostPerCredit(tenant, usd);
    CreditPackage best = cheapestFirst.get(0); // growth: 45.00 / 6,000 = 0.0075 per credit
    String shown = best.costPerCredit(4, RoundingMode.HALF_UP).toPlainString(); // "0.0075"
    // end::packages[]
    assertThat(cheapestFirst).extracting(p -> p.id().value()).containsExactly("growth", "starter");
    assertThat(shown).isEqualTo("0.0075");

    // tag::versions[]
    CreditPackage v2 =
        catalogue.revisePackage(
            tenant,
            CreditPackageDraft.builder(PackageId.of("starter"), "Starter")
                .credits(Amount.of(credit, 1_000))
                .price(Amount.of(usd, "12.00"))
                .build(),
            starter.revision().version(), // the version this edit is based on
            ada);
    // Version 1 stays as it was sold; the latest is version 2.
    CreditPackage sold = catalogue.creditPackage(tenant, PackageId.of("starter"), 1).orElseThrow();
    List<CatalogueChange<CreditPackage>> history =
        catalogue.packageHistory(tenant, PackageId.of("starter")); // who, when, before, after
    catalogue.archivePackage(tenant, PackageId.of("starter"), v2.revision().version(), ada);
    // end::versions[]
    assertThat(sold.price()).isEqualTo(Amount.of(usd, "10.00"));
    assertThat(history).hasSize(2);
    assertThatThrownBy(
            () ->
                catalogue.revisePackage(
                    tenant,
                    CreditPackageDraft.builder(PackageId.of("starter"), "Starter")
                        .credits(Amount.of(credit, 1))
                        .price(Amount.of(usd, "1.00"))
                        .build(),
                    1,
                    ada))
        .isInstanceOf(CatalogueVersionConflictException.class);

    // tag::plans[]
    SubscriptionPlan pro =
        catalogue.createPlan(
            tenant,
            SubscriptionPlanDraft.builder(PlanId.of("pro"), "Pro")
                .cadence(Period.ofMonths(1))
                .price(Amount.of(usd, "29.00"))
                .price(Amount.of(CurrencyUnit.of("EUR"), "27.00"))
                .allowance(Amount.of(credit, 10_000)) // credits each period
                .feature("api-access")
                .feature("priority-support")
                .build(),
            ada);
    boolean hasApi = pro.includes("api-access");
    // end::plans[]
    assertThat(hasApi).isTrue();
  }
}
