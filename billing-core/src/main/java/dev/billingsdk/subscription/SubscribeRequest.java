package dev.billingsdk.subscription;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BuilderRules;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.money.CurrencyUnit;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Subscribes an account to the latest version of a plan, in one of the plan's currencies, paid
 * through a provider: the first period either through the provider's hosted checkout ({@link
 * Builder#hostedCheckout}), or charged to a saved payment method ({@link Builder#savedMethod}), at
 * once or when a trial ends ({@link Builder#trial}). Later periods are charged to the saved method
 * by the renewal job. Build with {@link #builder}.
 */
public final class SubscribeRequest {
  /** The longest trial. */
  public static final Duration MAX_TRIAL = Duration.ofDays(366);

  private final TenantId tenant;
  private final AccountId account;
  private final SubscriptionId subscription;
  private final PlanId plan;
  private final CurrencyUnit currency;
  private final String provider;
  private final Optional<URI> successUrl;
  private final Optional<URI> cancelUrl;
  private final Optional<String> customerEmail;
  private final Optional<String> customer;
  private final Optional<String> paymentMethod;
  private final Optional<Duration> trial;
  private final Actor actor;

  private SubscribeRequest(Builder b) {
    this.tenant = b.tenant;
    this.account = b.account;
    this.subscription = b.subscription;
    this.plan = b.plan;
    this.currency = b.currency;
    this.provider = BuilderRules.required(b.provider, "provider");
    this.actor = BuilderRules.required(b.actor, "actor");
    if (b.successUrl == null && b.paymentMethod == null) {
      throw new InvalidRequestException(
          "payment", null, "is required: call hostedCheckout(..) or savedMethod(..)");
    }
    if (b.trial != null && b.paymentMethod == null) {
      throw new InvalidRequestException(
          "trial", b.trial, "needs savedMethod(..): the trial's end charges it");
    }
    this.successUrl = Optional.ofNullable(b.successUrl);
    this.cancelUrl = Optional.ofNullable(b.cancelUrl);
    this.customerEmail = Optional.ofNullable(b.customerEmail);
    this.customer = Optional.ofNullable(b.customer);
    this.paymentMethod = Optional.ofNullable(b.paymentMethod);
    this.trial = Optional.ofNullable(b.trial);
  }

  public static Builder builder(
      TenantId tenant,
      AccountId account,
      SubscriptionId subscription,
      PlanId plan,
      CurrencyUnit currency) {
    return new Builder(tenant, account, subscription, plan, currency);
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public SubscriptionId subscription() {
    return subscription;
  }

  public PlanId plan() {
    return plan;
  }

  public CurrencyUnit currency() {
    return currency;
  }

  public String provider() {
    return provider;
  }

  /** Where the hosted checkout sends the buyer after paying; empty for a saved method. */
  public Optional<URI> successUrl() {
    return successUrl;
  }

  public Optional<URI> cancelUrl() {
    return cancelUrl;
  }

  public Optional<String> customerEmail() {
    return customerEmail;
  }

  /** The provider's customer: the owner of the saved method, or known to the checkout. */
  public Optional<String> customer() {
    return customer;
  }

  /** The saved method that pays the first period (and the renewals). */
  public Optional<String> paymentMethod() {
    return paymentMethod;
  }

  public Optional<Duration> trial() {
    return trial;
  }

  public Actor actor() {
    return actor;
  }

  @Override
  public String toString() {
    return "SubscribeRequest[tenant="
        + tenant
        + ", account="
        + account
        + ", subscription="
        + subscription
        + ", plan="
        + plan
        + ", currency="
        + currency
        + ", provider="
        + provider
        + ", payment="
        + (paymentMethod.isPresent() ? "saved method" : "hosted checkout")
        + trial.map(t -> ", trial=" + t).orElse("")
        + "]";
  }

  /** Each setter checks its value at once and may be called once. */
  public static final class Builder {
    private final TenantId tenant;
    private final AccountId account;
    private final SubscriptionId subscription;
    private final PlanId plan;
    private final CurrencyUnit currency;
    private @Nullable String provider;
    private @Nullable URI successUrl;
    private @Nullable URI cancelUrl;
    private @Nullable String customerEmail;
    private @Nullable String customer;
    private @Nullable String paymentMethod;
    private @Nullable Duration trial;
    private @Nullable Actor actor;

    private Builder(
        TenantId tenant,
        AccountId account,
        SubscriptionId subscription,
        PlanId plan,
        CurrencyUnit currency) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      this.subscription = InvalidRequestException.requireNonNull(subscription, "subscription");
      this.plan = InvalidRequestException.requireNonNull(plan, "plan");
      this.currency = InvalidRequestException.requireNonNull(currency, "currency");
    }

    /** The payment provider's name, as configured on {@code Billing}. */
    public Builder provider(String provider) {
      this.provider =
          BuilderRules.once("provider", this.provider, Identifiers.check(provider, "provider"));
      return this;
    }

    /** Pays the first period through the provider's hosted checkout; the method is saved. */
    public Builder hostedCheckout(URI successUrl, URI cancelUrl) {
      BuilderRules.once("payment", paymentMethod, successUrl);
      this.successUrl = BuilderRules.once("successUrl", this.successUrl, successUrl);
      this.cancelUrl = InvalidRequestException.requireNonNull(cancelUrl, "cancelUrl");
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

    /** Pays with a method saved at the provider for {@code customer} (an earlier checkout). */
    public Builder savedMethod(String customer, String paymentMethod) {
      BuilderRules.once("payment", successUrl, paymentMethod);
      Identifiers.check(customer, "customer");
      this.paymentMethod =
          BuilderRules.once(
              "paymentMethod",
              this.paymentMethod,
              Identifiers.check(paymentMethod, "paymentMethod"));
      this.customer = customer;
      return this;
    }

    /** A trial before the first period: nothing is charged until it ends. */
    public Builder trial(Duration trial) {
      InputContract.duration(trial, "trial", true);
      if (trial.compareTo(MAX_TRIAL) > 0) {
        throw new InvalidRequestException("trial", trial, "must be at most " + MAX_TRIAL);
      }
      this.trial = BuilderRules.once("trial", this.trial, trial);
      return this;
    }

    public Builder actor(Actor actor) {
      this.actor = BuilderRules.once("actor", this.actor, actor);
      return this;
    }

    public SubscribeRequest build() {
      return new SubscribeRequest(this);
    }
  }
}
