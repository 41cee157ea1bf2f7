package dev.billingsdk.topup;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BuilderRules;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Sets an account's auto-top-up rule (replacing one it had, and enabling it again): below {@code
 * threshold}, buy {@code creditPackage} with the saved method. Build with {@link #builder}; the
 * package, provider, saved method, monthly cap and actor are required; the cooldown defaults to an
 * hour and the failures before the rule disables itself to 3.
 */
public final class TopUpRuleRequest {
  private final TenantId tenant;
  private final AccountId account;
  private final Amount threshold;
  private final PackageId creditPackage;
  private final String provider;
  private final String customer;
  private final String paymentMethod;
  private final Duration cooldown;
  private final Amount monthlyCap;
  private final int maxFailures;
  private final Actor actor;

  private TopUpRuleRequest(Builder b) {
    this.tenant = b.tenant;
    this.account = b.account;
    this.threshold = b.threshold;
    this.creditPackage = BuilderRules.required(b.creditPackage, "creditPackage");
    this.provider = BuilderRules.required(b.provider, "provider");
    this.customer = BuilderRules.required(b.customer, "savedMethod");
    this.paymentMethod = BuilderRules.required(b.paymentMethod, "savedMethod");
    this.cooldown = b.cooldown == null ? Duration.ofHours(1) : b.cooldown;
    this.monthlyCap = BuilderRules.required(b.monthlyCap, "monthlyCap");
    this.maxFailures = b.maxFailures == null ? 3 : b.maxFailures;
    this.actor = BuilderRules.required(b.actor, "actor");
  }

  /**
   * A rule for {@code account}: top up when its available balance falls below {@code threshold}.
   */
  public static Builder builder(TenantId tenant, AccountId account, Amount threshold) {
    return new Builder(tenant, account, threshold);
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public Amount threshold() {
    return threshold;
  }

  public PackageId creditPackage() {
    return creditPackage;
  }

  public String provider() {
    return provider;
  }

  public String customer() {
    return customer;
  }

  public String paymentMethod() {
    return paymentMethod;
  }

  public Duration cooldown() {
    return cooldown;
  }

  public Amount monthlyCap() {
    return monthlyCap;
  }

  public int maxFailures() {
    return maxFailures;
  }

  public Actor actor() {
    return actor;
  }

  @Override
  public String toString() {
    return "TopUpRuleRequest[tenant="
        + tenant
        + ", account="
        + account
        + ", threshold="
        + threshold
        + ", creditPackage="
        + creditPackage
        + ", provider="
        + provider
        + ", monthlyCap="
        + monthlyCap
        + "]";
  }

  /** Each setter checks its value at once and may be called once. */
  public static final class Builder {
    private final TenantId tenant;
    private final AccountId account;
    private final Amount threshold;
    private @Nullable PackageId creditPackage;
    private @Nullable String provider;
    private @Nullable String customer;
    private @Nullable String paymentMethod;
    private @Nullable Duration cooldown;
    private @Nullable Amount monthlyCap;
    private @Nullable Integer maxFailures;
    private @Nullable Actor actor;

    private Builder(TenantId tenant, AccountId account, Amount threshold) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      InvalidRequestException.requireNonNull(threshold, "threshold");
      if (threshold.isNegative() || threshold.unit() instanceof CurrencyUnit) {
        throw new InvalidRequestException("threshold", threshold, "must be zero or more credits");
      }
      this.threshold = threshold;
    }

    public Builder creditPackage(PackageId id) {
      this.creditPackage = BuilderRules.once("creditPackage", creditPackage, id);
      return this;
    }

    public Builder provider(String provider) {
      this.provider =
          BuilderRules.once("provider", this.provider, Identifiers.check(provider, "provider"));
      return this;
    }

    /** The method saved at the provider for {@code customer} (a checkout that saved it). */
    public Builder savedMethod(String customer, String paymentMethod) {
      Identifiers.check(customer, "customer");
      this.paymentMethod =
          BuilderRules.once(
              "savedMethod", this.paymentMethod, Identifiers.check(paymentMethod, "paymentMethod"));
      this.customer = customer;
      return this;
    }

    /** The least time between two top-ups (zero: none). */
    public Builder cooldown(Duration cooldown) {
      this.cooldown =
          BuilderRules.once(
              "cooldown", this.cooldown, InputContract.duration(cooldown, "cooldown", false));
      return this;
    }

    /** The most spent on top-ups per calendar month, in the package's currency. */
    public Builder monthlyCap(Amount cap) {
      InvalidRequestException.requireNonNull(cap, "monthlyCap");
      if (!(cap.unit() instanceof CurrencyUnit) || !cap.isPositive()) {
        throw new InvalidRequestException("monthlyCap", cap, "must be a positive amount of money");
      }
      this.monthlyCap = BuilderRules.once("monthlyCap", monthlyCap, cap);
      return this;
    }

    /** After this many failed payments in a row the rule disables itself (1 to 100). */
    public Builder maxFailures(int max) {
      if (max < 1 || max > 100) {
        throw new InvalidRequestException("maxFailures", max, "must be 1 to 100");
      }
      this.maxFailures = BuilderRules.once("maxFailures", maxFailures, max);
      return this;
    }

    public Builder actor(Actor actor) {
      this.actor = BuilderRules.once("actor", this.actor, actor);
      return this;
    }

    public TopUpRuleRequest build() {
      return new TopUpRuleRequest(this);
    }
  }
}
