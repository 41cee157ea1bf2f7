package dev.billingsdk.catalogue;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import java.time.Period;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One version of a subscription plan (a "tier" in the product documents): what a subscriber pays
 * per period, in each currency it is sold in, and the credits and features each period brings.
 *
 * @param cadence the billing period as an ISO 8601 period: {@code P1M} monthly, {@code P1Y} yearly,
 *     {@code P1W} (seven days) weekly; positive, whole months or whole days, not both
 * @param prices one positive price per currency, at most one per currency
 * @param allowance the credits granted each period (zero for a plan without credits)
 * @param features the entitlement keys the plan unlocks (identifiers, such as {@code api-access})
 * @param allowanceTemplate the terms of each period's allowance grant
 */
public record SubscriptionPlan(
    TenantId tenant,
    PlanId id,
    Revision revision,
    String name,
    Period cadence,
    SortedMap<CurrencyUnit, Amount> prices,
    Amount allowance,
    SortedSet<String> features,
    ItemStatus status,
    GrantTemplate allowanceTemplate,
    Map<String, String> providerRefs)
    implements CatalogueItem {

  /** The most features a plan may list. */
  public static final int MAX_FEATURES = 64;

  /** The most currencies a plan may be priced in. */
  public static final int MAX_PRICES = 32;

  /** Currencies ordered by their ISO code. */
  public static final Comparator<CurrencyUnit> BY_CODE = Comparator.comparing(CurrencyUnit::code);

  public SubscriptionPlan {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "plan");
    InvalidRequestException.requireNonNull(revision, "revision");
    name = CatalogueRules.name(name);
    checkCadence(cadence);
    prices = checkPrices(prices);
    checkAllowance(allowance);
    features = checkFeatures(features);
    InvalidRequestException.requireNonNull(status, "status");
    InvalidRequestException.requireNonNull(allowanceTemplate, "allowanceTemplate");
    providerRefs = CatalogueRules.providerRefs(providerRefs);
    if (revision.change() == ChangeKind.ARCHIVED && status != ItemStatus.ARCHIVED) {
      throw new InvalidRequestException(
          "status", status, "must be ARCHIVED for an ARCHIVED change");
    }
  }

  static Period checkCadence(Period cadence) {
    InvalidRequestException.requireNonNull(cadence, "cadence");
    boolean months = cadence.toTotalMonths() > 0 && cadence.getDays() == 0;
    boolean days = cadence.toTotalMonths() == 0 && cadence.getDays() > 0;
    if (cadence.isNegative()
        || !(months || days)
        || cadence.toTotalMonths() > 120
        || cadence.getDays() > 3_660) {
      throw new InvalidRequestException(
          "cadence",
          cadence,
          "must be whole months (P1M, P1Y) or whole days (P7D), positive, at most ten years");
    }
    return cadence.normalized();
  }

  static SortedMap<CurrencyUnit, Amount> checkPrices(Map<CurrencyUnit, Amount> prices) {
    InvalidRequestException.requireNonNull(prices, "prices");
    if (prices.isEmpty() || prices.size() > MAX_PRICES) {
      throw new InvalidRequestException(
          "prices", prices.keySet(), "must name 1 to " + MAX_PRICES + " currencies");
    }
    TreeMap<CurrencyUnit, Amount> copy = new TreeMap<>(BY_CODE);
    for (Map.Entry<CurrencyUnit, Amount> e : prices.entrySet()) {
      Amount price = InvalidRequestException.requireNonNull(e.getValue(), "prices");
      if (!price.unit().equals(e.getKey()) || !price.isPositive()) {
        throw new InvalidRequestException(
            "prices", price, "must be positive and in the currency it is listed under");
      }
      copy.put(e.getKey(), price);
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  static void checkAllowance(Amount allowance) {
    InvalidRequestException.requireNonNull(allowance, "allowance");
    if (!(allowance.unit() instanceof CreditUnit) || allowance.isNegative()) {
      throw new InvalidRequestException(
          "allowance", allowance, "must be zero or more of a credit unit");
    }
  }

  static SortedSet<String> checkFeatures(java.util.Collection<String> features) {
    InvalidRequestException.requireNonNull(features, "features");
    if (features.size() > MAX_FEATURES) {
      throw new InvalidRequestException(
          "features", features.size(), "at most " + MAX_FEATURES + " features");
    }
    TreeSet<String> copy = new TreeSet<>();
    for (String f : features) {
      copy.add(Identifiers.check(f, "features"));
    }
    return Collections.unmodifiableSortedSet(copy);
  }

  @Override
  public Kind kind() {
    return Kind.SUBSCRIPTION_PLAN;
  }

  @Override
  public String itemId() {
    return id.value();
  }

  /** The price per period in {@code currency}, if the plan is sold in it. */
  public Optional<Amount> price(CurrencyUnit currency) {
    return Optional.ofNullable(prices.get(currency));
  }

  /** Whether the plan unlocks {@code feature}. */
  public boolean includes(String feature) {
    return features.contains(feature);
  }
}
