package dev.billingsdk.purchase;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BuilderRules;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.money.CurrencyUnit;
import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Starts a purchase: a credit package, or the first period of a plan in a currency, bought through
 * a provider's hosted checkout. Build with {@link #builder}: the item (exactly one of {@link
 * Builder#creditPackage} and {@link Builder#plan}), the provider, the return URLs and the actor are
 * required; each setter checks its value at once and may be called once.
 */
public final class StartCheckoutRequest {
  private final TenantId tenant;
  private final AccountId account;
  private final PurchaseId purchase;
  private final Optional<PackageId> creditPackage;
  private final Optional<PlanId> plan;
  private final Optional<CurrencyUnit> planCurrency;
  private final String provider;
  private final URI successUrl;
  private final URI cancelUrl;
  private final Optional<String> customer;
  private final Optional<String> customerEmail;
  private final boolean saveForOffSession;
  private final Actor actor;

  private StartCheckoutRequest(Builder b) {
    this.tenant = b.tenant;
    this.account = b.account;
    this.purchase = b.purchase;
    if (b.creditPackage == null && b.plan == null) {
      throw new InvalidRequestException(
          "item", null, "is required: call creditPackage(..) or plan(..)");
    }
    this.creditPackage = Optional.ofNullable(b.creditPackage);
    this.plan = Optional.ofNullable(b.plan);
    this.planCurrency = Optional.ofNullable(b.planCurrency);
    this.provider = BuilderRules.required(b.provider, "provider");
    this.successUrl = BuilderRules.required(b.successUrl, "successUrl");
    this.cancelUrl = BuilderRules.required(b.cancelUrl, "cancelUrl");
    this.customer = Optional.ofNullable(b.customer);
    this.customerEmail = Optional.ofNullable(b.customerEmail);
    this.saveForOffSession = b.saveForOffSession != null && b.saveForOffSession;
    this.actor = BuilderRules.required(b.actor, "actor");
  }

  /**
   * @param purchase chosen by the client: starting the same purchase again returns the same
   *     checkout
   */
  public static Builder builder(TenantId tenant, AccountId account, PurchaseId purchase) {
    return new Builder(tenant, account, purchase);
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public PurchaseId purchase() {
    return purchase;
  }

  public Optional<PackageId> creditPackage() {
    return creditPackage;
  }

  public Optional<PlanId> plan() {
    return plan;
  }

  /** For a plan: the currency it is bought in. */
  public Optional<CurrencyUnit> planCurrency() {
    return planCurrency;
  }

  public String provider() {
    return provider;
  }

  public URI successUrl() {
    return successUrl;
  }

  public URI cancelUrl() {
    return cancelUrl;
  }

  public Optional<String> customer() {
    return customer;
  }

  public Optional<String> customerEmail() {
    return customerEmail;
  }

  public boolean saveForOffSession() {
    return saveForOffSession;
  }

  public Actor actor() {
    return actor;
  }

  @Override
  public String toString() {
    return "StartCheckoutRequest["
        + tenant
        + "/"
        + purchase
        + ", "
        + account
        + ", "
        + creditPackage.map(p -> "package " + p).orElseGet(() -> "plan " + plan.orElseThrow())
        + ", "
        + provider
        + "]";
  }

  /** Each setter checks its value at once and may be called once. */
  public static final class Builder {
    private final TenantId tenant;
    private final AccountId account;
    private final PurchaseId purchase;
    private @Nullable PackageId creditPackage;
    private @Nullable PlanId plan;
    private @Nullable CurrencyUnit planCurrency;
    private @Nullable String provider;
    private @Nullable URI successUrl;
    private @Nullable URI cancelUrl;
    private @Nullable String customer;
    private @Nullable String customerEmail;
    private @Nullable Boolean saveForOffSession;
    private @Nullable Actor actor;

    private Builder(TenantId tenant, AccountId account, PurchaseId purchase) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      this.purchase = InvalidRequestException.requireNonNull(purchase, "purchase");
    }

    /** Buys the latest version of this credit package (it must be on sale). */
    public Builder creditPackage(PackageId id) {
      BuilderRules.once("item", plan, id);
      this.creditPackage = BuilderRules.once("creditPackage", creditPackage, id);
      return this;
    }

    /** Buys the first period of the latest version of this plan, in {@code currency}. */
    public Builder plan(PlanId id, CurrencyUnit currency) {
      BuilderRules.once("item", creditPackage, id);
      InvalidRequestException.requireNonNull(currency, "currency");
      this.plan = BuilderRules.once("plan", plan, id);
      this.planCurrency = currency;
      return this;
    }

    /** The payment provider's name, e.g. {@code stripe}, as configured on {@code Billing}. */
    public Builder provider(String provider) {
      this.provider =
          BuilderRules.once("provider", this.provider, Identifiers.check(provider, "provider"));
      return this;
    }

    public Builder successUrl(URI url) {
      this.successUrl = BuilderRules.once("successUrl", successUrl, url);
      return this;
    }

    public Builder cancelUrl(URI url) {
      this.cancelUrl = BuilderRules.once("cancelUrl", cancelUrl, url);
      return this;
    }

    /** The provider's customer id, when the buyer is known to it. */
    public Builder customer(String customer) {
      this.customer =
          BuilderRules.once("customer", this.customer, Identifiers.check(customer, "customer"));
      return this;
    }

    public Builder customerEmail(String email) {
      this.customerEmail =
          BuilderRules.once(
              "customerEmail",
              customerEmail,
              InputContract.nonBlankText(email, "customerEmail", 254));
      return this;
    }

    /** Save the card for off-session charges (auto-top-up). */
    public Builder saveForOffSession(boolean save) {
      this.saveForOffSession = BuilderRules.once("saveForOffSession", saveForOffSession, save);
      return this;
    }

    public Builder actor(Actor actor) {
      this.actor = BuilderRules.once("actor", this.actor, actor);
      return this;
    }

    public StartCheckoutRequest build() {
      return new StartCheckoutRequest(this);
    }
  }
}
