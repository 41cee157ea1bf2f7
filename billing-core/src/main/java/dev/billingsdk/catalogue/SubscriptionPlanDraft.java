package dev.billingsdk.catalogue;

import dev.billingsdk.BuilderRules;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import java.time.Period;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The terms of a subscription plan, for {@link Catalogue#createPlan} and {@link
 * Catalogue#revisePlan}. Build with {@link #builder}: the cadence, at least one price and the
 * allowance are required; {@link #builder} refuses a second price in the same currency, a repeated
 * feature or a second reference for one provider, naming what was set first.
 */
public final class SubscriptionPlanDraft {
  private final PlanId id;
  private final String name;
  private final Period cadence;
  private final SortedMap<CurrencyUnit, Amount> prices;
  private final Amount allowance;
  private final SortedSet<String> features;
  private final GrantTemplate allowanceTemplate;
  private final Map<String, String> providerRefs;

  private SubscriptionPlanDraft(Builder b) {
    this.id = b.id;
    this.name = b.name;
    this.cadence = BuilderRules.required(b.cadence, "cadence");
    if (b.prices.isEmpty()) {
      throw new InvalidRequestException("price", null, "is required: call price(..)");
    }
    this.prices = SubscriptionPlan.checkPrices(b.prices);
    this.allowance = BuilderRules.required(b.allowance, "allowance");
    this.features = Collections.unmodifiableSortedSet(new TreeSet<>(b.features));
    this.allowanceTemplate =
        b.allowanceTemplate == null ? GrantTemplate.standard() : b.allowanceTemplate;
    this.providerRefs = Collections.unmodifiableSortedMap(new TreeMap<>(b.providerRefs));
  }

  public static Builder builder(PlanId id, String name) {
    return new Builder(id, name);
  }

  public PlanId id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Period cadence() {
    return cadence;
  }

  public SortedMap<CurrencyUnit, Amount> prices() {
    return prices;
  }

  public Amount allowance() {
    return allowance;
  }

  public SortedSet<String> features() {
    return features;
  }

  public GrantTemplate allowanceTemplate() {
    return allowanceTemplate;
  }

  public Map<String, String> providerRefs() {
    return providerRefs;
  }

  @Override
  public String toString() {
    return "SubscriptionPlanDraft[" + id + ", " + cadence + ", " + prices.values() + "]";
  }

  /**
   * Each setter checks its value at once and may be called once (per currency, feature, provider).
   */
  public static final class Builder {
    private final PlanId id;
    private final String name;
    private @Nullable Period cadence;
    private final TreeMap<CurrencyUnit, Amount> prices = new TreeMap<>(SubscriptionPlan.BY_CODE);
    private @Nullable Amount allowance;
    private final TreeSet<String> features = new TreeSet<>();
    private @Nullable GrantTemplate allowanceTemplate;
    private final Map<String, String> providerRefs = new TreeMap<>();

    private Builder(PlanId id, String name) {
      this.id = InvalidRequestException.requireNonNull(id, "plan");
      this.name = CatalogueRules.name(name);
    }

    /**
     * The billing period: {@code Period.ofMonths(1)}, {@code Period.ofYears(1)}, {@code
     * Period.ofWeeks(1)}.
     */
    public Builder cadence(Period cadence) {
      this.cadence =
          BuilderRules.once("cadence", this.cadence, SubscriptionPlan.checkCadence(cadence));
      return this;
    }

    /** The price per period in the amount's currency; once per currency. */
    public Builder price(Amount price) {
      InvalidRequestException.requireNonNull(price, "price");
      if (!(price.unit() instanceof CurrencyUnit c) || !price.isPositive()) {
        throw new InvalidRequestException(
            "price", price, "must be a positive amount of an ISO 4217 currency");
      }
      if (!prices.containsKey(c) && prices.size() >= SubscriptionPlan.MAX_PRICES) {
        throw new InvalidRequestException(
            "prices", c.code(), "at most " + SubscriptionPlan.MAX_PRICES + " currencies");
      }
      BuilderRules.once("price." + c.code(), prices.get(c), price);
      prices.put(c, price);
      return this;
    }

    /** The credits each period brings: zero or more of a credit unit. */
    public Builder allowance(Amount allowance) {
      SubscriptionPlan.checkAllowance(allowance);
      this.allowance = BuilderRules.once("allowance", this.allowance, allowance);
      return this;
    }

    /** An entitlement key the plan unlocks; each once. */
    public Builder feature(String feature) {
      String f = Identifiers.check(feature, "features");
      if (!features.contains(f) && features.size() >= SubscriptionPlan.MAX_FEATURES) {
        throw new InvalidRequestException(
            "features", f, "at most " + SubscriptionPlan.MAX_FEATURES + " features");
      }
      BuilderRules.once("features." + f, features.contains(f) ? f : null, f);
      features.add(f);
      return this;
    }

    public Builder allowanceTemplate(GrantTemplate template) {
      this.allowanceTemplate =
          BuilderRules.once(
              "allowanceTemplate",
              this.allowanceTemplate,
              InvalidRequestException.requireNonNull(template, "allowanceTemplate"));
      return this;
    }

    /** The provider's own id for this plan ({@code stripe}: a Price id); once per provider. */
    public Builder providerRef(String provider, String ref) {
      CatalogueRules.addProviderRef(providerRefs, provider, ref);
      return this;
    }

    public SubscriptionPlanDraft build() {
      return new SubscriptionPlanDraft(this);
    }
  }
}
