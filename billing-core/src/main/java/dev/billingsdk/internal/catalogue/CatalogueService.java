package dev.billingsdk.internal.catalogue;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.Actor;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.Catalogue;
import dev.billingsdk.catalogue.CatalogueChange;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.catalogue.CatalogueItem.Kind;
import dev.billingsdk.catalogue.CatalogueItemArchivedException;
import dev.billingsdk.catalogue.CatalogueItemNotFoundException;
import dev.billingsdk.catalogue.CatalogueVersionConflictException;
import dev.billingsdk.catalogue.ChangeKind;
import dev.billingsdk.catalogue.CreditPackage;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.ItemStatus;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.Revision;
import dev.billingsdk.catalogue.SubscriptionPlan;
import dev.billingsdk.catalogue.SubscriptionPlanDraft;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.CatalogueStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Implements {@link Catalogue}: decide (access, the version a change is based on), write (one new
 * version through the store, whose uniqueness on the version is the last word when two editors
 * race), return what was stored.
 */
public final class CatalogueService implements Catalogue {
  private final CatalogueStore store;
  private final Clock clock;
  private final AccessPolicy access;

  public CatalogueService(CatalogueStore store, Clock clock, AccessPolicy access) {
    this.store = store;
    this.clock = clock;
    this.access = access;
  }

  // ------------------------------------------------------------------ packages

  @Override
  public CreditPackage createPackage(TenantId tenant, CreditPackageDraft draft, Actor actor) {
    allow(tenant, actor, draft);
    Revision first = new Revision(1, ChangeKind.CREATED, actor, InputContract.now(clock));
    CreditPackage created = packageOf(tenant, draft, first, ItemStatus.ACTIVE);
    store.addVersion(created);
    return created;
  }

  @Override
  public CreditPackage revisePackage(
      TenantId tenant, CreditPackageDraft draft, int basedOn, Actor actor) {
    allow(tenant, actor, draft);
    CreditPackage latest = latestFor(tenant, Kind.CREDIT_PACKAGE, draft.id().value(), basedOn);
    // A version is the same product with other terms: what it is sold in and what it grants stay,
    // or history would mix units (a new product gets a new id).
    sameUnit("credits", latest.credits().unit(), draft.credits().unit());
    sameUnit("price", latest.price().unit(), draft.price().unit());
    CreditPackage next =
        packageOf(tenant, draft, next(latest, ChangeKind.REVISED, actor), ItemStatus.ACTIVE);
    store.addVersion(next);
    return next;
  }

  @Override
  public CreditPackage archivePackage(TenantId tenant, PackageId id, int basedOn, Actor actor) {
    allow(tenant, actor, id);
    CreditPackage p = latestFor(tenant, Kind.CREDIT_PACKAGE, id.value(), basedOn);
    CreditPackage archived =
        new CreditPackage(
            tenant,
            p.id(),
            next(p, ChangeKind.ARCHIVED, actor),
            p.name(),
            p.credits(),
            p.bonusCredits(),
            p.price(),
            ItemStatus.ARCHIVED,
            p.grantTemplate(),
            p.providerRefs());
    store.addVersion(archived);
    return archived;
  }

  @Override
  public Optional<CreditPackage> creditPackage(TenantId tenant, PackageId id) {
    return read(tenant, id)
        .flatMap(i -> store.latest(tenant, Kind.CREDIT_PACKAGE, i.value()))
        .map(CreditPackage.class::cast);
  }

  @Override
  public Optional<CreditPackage> creditPackage(TenantId tenant, PackageId id, int version) {
    return read(tenant, id)
        .flatMap(i -> store.version(tenant, Kind.CREDIT_PACKAGE, i.value(), version))
        .map(CreditPackage.class::cast);
  }

  @Override
  public List<CreditPackage> creditPackages(TenantId tenant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return store.latestOfEach(tenant, Kind.CREDIT_PACKAGE).stream()
        .map(CreditPackage.class::cast)
        .toList();
  }

  @Override
  public List<CreditPackage> packagesByCostPerCredit(TenantId tenant, CurrencyUnit currency) {
    InvalidRequestException.requireNonNull(currency, "currency");
    return creditPackages(tenant).stream()
        .filter(CatalogueItem::purchasable)
        .filter(p -> p.currency().equals(currency))
        .sorted(CreditPackage.BY_COST_PER_CREDIT)
        .toList();
  }

  @Override
  public List<CatalogueChange<CreditPackage>> packageHistory(TenantId tenant, PackageId id) {
    read(tenant, id);
    return history(store.versions(tenant, Kind.CREDIT_PACKAGE, id.value()), CreditPackage.class);
  }

  private static CreditPackage packageOf(
      TenantId tenant, CreditPackageDraft d, Revision revision, ItemStatus status) {
    return new CreditPackage(
        tenant,
        d.id(),
        revision,
        d.name(),
        d.credits(),
        d.bonusCredits(),
        d.price(),
        status,
        d.grantTemplate(),
        d.providerRefs());
  }

  // ------------------------------------------------------------------ plans

  @Override
  public SubscriptionPlan createPlan(TenantId tenant, SubscriptionPlanDraft draft, Actor actor) {
    allow(tenant, actor, draft);
    Revision first = new Revision(1, ChangeKind.CREATED, actor, InputContract.now(clock));
    SubscriptionPlan created = planOf(tenant, draft, first, ItemStatus.ACTIVE);
    store.addVersion(created);
    return created;
  }

  @Override
  public SubscriptionPlan revisePlan(
      TenantId tenant, SubscriptionPlanDraft draft, int basedOn, Actor actor) {
    allow(tenant, actor, draft);
    SubscriptionPlan latest =
        latestFor(tenant, Kind.SUBSCRIPTION_PLAN, draft.id().value(), basedOn);
    SubscriptionPlan next =
        planOf(tenant, draft, next(latest, ChangeKind.REVISED, actor), ItemStatus.ACTIVE);
    store.addVersion(next);
    return next;
  }

  @Override
  public SubscriptionPlan archivePlan(TenantId tenant, PlanId id, int basedOn, Actor actor) {
    allow(tenant, actor, id);
    SubscriptionPlan p = latestFor(tenant, Kind.SUBSCRIPTION_PLAN, id.value(), basedOn);
    SubscriptionPlan archived =
        new SubscriptionPlan(
            tenant,
            p.id(),
            next(p, ChangeKind.ARCHIVED, actor),
            p.name(),
            p.cadence(),
            p.prices(),
            p.allowance(),
            p.features(),
            ItemStatus.ARCHIVED,
            p.allowanceTemplate(),
            p.providerRefs());
    store.addVersion(archived);
    return archived;
  }

  @Override
  public Optional<SubscriptionPlan> plan(TenantId tenant, PlanId id) {
    return read(tenant, id)
        .flatMap(i -> store.latest(tenant, Kind.SUBSCRIPTION_PLAN, i.value()))
        .map(SubscriptionPlan.class::cast);
  }

  @Override
  public Optional<SubscriptionPlan> plan(TenantId tenant, PlanId id, int version) {
    return read(tenant, id)
        .flatMap(i -> store.version(tenant, Kind.SUBSCRIPTION_PLAN, i.value(), version))
        .map(SubscriptionPlan.class::cast);
  }

  @Override
  public List<SubscriptionPlan> plans(TenantId tenant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return store.latestOfEach(tenant, Kind.SUBSCRIPTION_PLAN).stream()
        .map(SubscriptionPlan.class::cast)
        .toList();
  }

  @Override
  public List<CatalogueChange<SubscriptionPlan>> planHistory(TenantId tenant, PlanId id) {
    read(tenant, id);
    return history(
        store.versions(tenant, Kind.SUBSCRIPTION_PLAN, id.value()), SubscriptionPlan.class);
  }

  private static SubscriptionPlan planOf(
      TenantId tenant, SubscriptionPlanDraft d, Revision revision, ItemStatus status) {
    return new SubscriptionPlan(
        tenant,
        d.id(),
        revision,
        d.name(),
        d.cadence(),
        d.prices(),
        d.allowance(),
        d.features(),
        status,
        d.allowanceTemplate(),
        d.providerRefs());
  }

  // ------------------------------------------------------------------ shared

  private void allow(TenantId tenant, Actor actor, Object what) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(actor, "actor");
    InvalidRequestException.requireNonNull(what, "draft");
    access.check(actor, Operation.MANAGE_CATALOGUE, tenant);
  }

  private static <T> Optional<T> read(TenantId tenant, T id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return Optional.of(InvalidRequestException.requireNonNull(id, "id"));
  }

  /** The latest version, which must be {@code basedOn} and not archived. */
  @SuppressWarnings("unchecked")
  private <T extends CatalogueItem> T latestFor(
      TenantId tenant, Kind kind, String itemId, int basedOn) {
    if (basedOn < 1) {
      throw new InvalidRequestException("basedOn", basedOn, "must be a stored version (1 or more)");
    }
    CatalogueItem latest =
        store
            .latest(tenant, kind, itemId)
            .orElseThrow(() -> new CatalogueItemNotFoundException(tenant, kind, itemId));
    int at = latest.revision().version();
    if (at != basedOn) {
      throw new CatalogueVersionConflictException(itemId, basedOn, at);
    }
    if (latest.status() == ItemStatus.ARCHIVED) {
      throw new CatalogueItemArchivedException(itemId, at);
    }
    return (T) latest;
  }

  private static void sameUnit(String field, Unit stored, Unit revised) {
    if (!stored.equals(revised)) {
      throw new InvalidRequestException(
          field, revised.code(), "must stay in " + stored.code() + " in a new version");
    }
  }

  private Revision next(CatalogueItem latest, ChangeKind change, Actor actor) {
    return new Revision(latest.revision().version() + 1, change, actor, InputContract.now(clock));
  }

  private static <T extends CatalogueItem> List<CatalogueChange<T>> history(
      List<CatalogueItem> versions, Class<T> type) {
    List<CatalogueChange<T>> out = new ArrayList<>(versions.size());
    Optional<T> before = Optional.empty();
    for (CatalogueItem v : versions) {
      T after = type.cast(v);
      out.add(new CatalogueChange<>(before, after));
      before = Optional.of(after);
    }
    return out;
  }
}
