package dev.billingsdk.catalogue;

import dev.billingsdk.Actor;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.CurrencyUnit;
import java.util.List;
import java.util.Optional;

/**
 * The catalogue of a tenant: credit packages and subscription plans, versioned. Every change is a
 * new version made by an actor the access policy allows ({@code MANAGE_CATALOGUE}); a change names
 * the version it was based on and is refused with {@link CatalogueVersionConflictException} when
 * that is no longer the latest, so two editors never overwrite each other. Reads need no actor.
 */
public interface Catalogue {

  /** Stores version 1 of a new package; refused if the id is taken. */
  CreditPackage createPackage(TenantId tenant, CreditPackageDraft draft, Actor actor);

  /**
   * Stores the next version of the package with the draft's terms.
   *
   * @throws CatalogueVersionConflictException if {@code basedOn} is not the latest version
   * @throws CatalogueItemArchivedException if the package is archived
   */
  CreditPackage revisePackage(TenantId tenant, CreditPackageDraft draft, int basedOn, Actor actor);

  /** Stores the next version with the same terms, archived; an archived package stays readable. */
  CreditPackage archivePackage(TenantId tenant, PackageId id, int basedOn, Actor actor);

  /** The latest version. */
  Optional<CreditPackage> creditPackage(TenantId tenant, PackageId id);

  /** One version, as it was sold (what a purchase of it refers to). */
  Optional<CreditPackage> creditPackage(TenantId tenant, PackageId id, int version);

  /** The latest version of every package, archived ones included, by id. */
  List<CreditPackage> creditPackages(TenantId tenant);

  /**
   * The packages on sale in {@code currency}, cheapest per credit received first (bonus included),
   * so a buyer can pick the most economical one.
   */
  List<CreditPackage> packagesByCostPerCredit(TenantId tenant, CurrencyUnit currency);

  /** Every change of the package, oldest first: who, when, before and after. */
  List<CatalogueChange<CreditPackage>> packageHistory(TenantId tenant, PackageId id);

  /** Stores version 1 of a new plan; refused if the id is taken. */
  SubscriptionPlan createPlan(TenantId tenant, SubscriptionPlanDraft draft, Actor actor);

  /** As {@link #revisePackage}, for a plan. */
  SubscriptionPlan revisePlan(
      TenantId tenant, SubscriptionPlanDraft draft, int basedOn, Actor actor);

  /** As {@link #archivePackage}, for a plan. */
  SubscriptionPlan archivePlan(TenantId tenant, PlanId id, int basedOn, Actor actor);

  Optional<SubscriptionPlan> plan(TenantId tenant, PlanId id);

  Optional<SubscriptionPlan> plan(TenantId tenant, PlanId id, int version);

  /** The latest version of every plan, archived ones included, by id. */
  List<SubscriptionPlan> plans(TenantId tenant);

  List<CatalogueChange<SubscriptionPlan>> planHistory(TenantId tenant, PlanId id);
}
