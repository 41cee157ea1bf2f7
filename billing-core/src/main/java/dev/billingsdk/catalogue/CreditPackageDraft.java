package dev.billingsdk.catalogue;

import dev.billingsdk.BuilderRules;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The terms of a credit package, for {@link Catalogue#createPackage} and {@link
 * Catalogue#revisePackage}. Build with {@link #builder}: credits and price are required; no bonus,
 * the standard grant template and no provider references by default.
 */
public final class CreditPackageDraft {
  private final PackageId id;
  private final String name;
  private final Amount credits;
  private final Amount bonusCredits;
  private final Amount price;
  private final GrantTemplate grantTemplate;
  private final Map<String, String> providerRefs;

  private CreditPackageDraft(Builder b) {
    this.id = b.id;
    this.name = b.name;
    this.credits = BuilderRules.required(b.credits, "credits");
    this.price = BuilderRules.required(b.price, "price");
    this.bonusCredits = b.bonusCredits == null ? Amount.zero(credits.unit()) : b.bonusCredits;
    this.grantTemplate = b.grantTemplate == null ? GrantTemplate.standard() : b.grantTemplate;
    this.providerRefs = Collections.unmodifiableSortedMap(new TreeMap<>(b.providerRefs));
    CreditPackage.checkTerms(credits, bonusCredits, price);
  }

  public static Builder builder(PackageId id, String name) {
    return new Builder(id, name);
  }

  public PackageId id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Amount credits() {
    return credits;
  }

  public Amount bonusCredits() {
    return bonusCredits;
  }

  public Amount price() {
    return price;
  }

  public GrantTemplate grantTemplate() {
    return grantTemplate;
  }

  public Map<String, String> providerRefs() {
    return providerRefs;
  }

  @Override
  public String toString() {
    return "CreditPackageDraft["
        + id
        + ", "
        + credits
        + " + "
        + bonusCredits
        + " for "
        + price
        + "]";
  }

  /** Each setter checks its value at once and may be called once (per provider, for refs). */
  public static final class Builder {
    private final PackageId id;
    private final String name;
    private @Nullable Amount credits;
    private @Nullable Amount bonusCredits;
    private @Nullable Amount price;
    private @Nullable GrantTemplate grantTemplate;
    private final Map<String, String> providerRefs = new TreeMap<>();

    private Builder(PackageId id, String name) {
      this.id = InvalidRequestException.requireNonNull(id, "package");
      this.name = CatalogueRules.name(name);
    }

    /** The purchased credits: positive, in a credit unit. */
    public Builder credits(Amount credits) {
      InvalidRequestException.requireNonNull(credits, "credits");
      if (!(credits.unit() instanceof dev.billingsdk.money.CreditUnit) || !credits.isPositive()) {
        throw new InvalidRequestException("credits", credits, "must be a positive credit amount");
      }
      this.credits = BuilderRules.once("credits", this.credits, credits);
      return this;
    }

    /** Extra credits given with the purchase, free of charge: zero or more, same unit. */
    public Builder bonusCredits(Amount bonusCredits) {
      InvalidRequestException.requireNonNull(bonusCredits, "bonusCredits");
      if (bonusCredits.isNegative()
          || !(bonusCredits.unit() instanceof dev.billingsdk.money.CreditUnit)) {
        throw new InvalidRequestException(
            "bonusCredits", bonusCredits, "must be zero or more of a credit unit");
      }
      this.bonusCredits = BuilderRules.once("bonusCredits", this.bonusCredits, bonusCredits);
      return this;
    }

    /** The price: positive, in an ISO 4217 currency. */
    public Builder price(Amount price) {
      InvalidRequestException.requireNonNull(price, "price");
      if (!(price.unit() instanceof dev.billingsdk.money.CurrencyUnit) || !price.isPositive()) {
        throw new InvalidRequestException(
            "price", price, "must be a positive amount of an ISO 4217 currency");
      }
      this.price = BuilderRules.once("price", this.price, price);
      return this;
    }

    public Builder grantTemplate(GrantTemplate template) {
      this.grantTemplate =
          BuilderRules.once(
              "grantTemplate",
              this.grantTemplate,
              InvalidRequestException.requireNonNull(template, "grantTemplate"));
      return this;
    }

    /** The provider's own id for this package ({@code stripe}: a Price id); once per provider. */
    public Builder providerRef(String provider, String ref) {
      CatalogueRules.addProviderRef(providerRefs, provider, ref);
      return this;
    }

    public CreditPackageDraft build() {
      return new CreditPackageDraft(this);
    }
  }
}
