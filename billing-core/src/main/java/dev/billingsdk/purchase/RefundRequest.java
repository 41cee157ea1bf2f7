package dev.billingsdk.purchase;

import dev.billingsdk.Actor;
import dev.billingsdk.BuilderRules;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Refunds a paid purchase through its provider. Build with {@link #builder}: idempotency key, actor
 * and reason are required; without {@link Builder#amount} the rest of the payment is refunded.
 */
public final class RefundRequest {
  private final TenantId tenant;
  private final PurchaseId purchase;
  private final Optional<Amount> amount;
  private final IdempotencyKey idempotencyKey;
  private final Actor actor;
  private final String reason;
  private final BeyondUnused beyondUnused;

  /**
   * What a library refund does when its share of the credits is more than the purchase's grants
   * still hold (the buyer spent them).
   */
  public enum BeyondUnused {
    /** Refuse the refund before the provider is called (the default). */
    REFUSE,
    /**
     * Refund anyway, and take the rest as a refund from the provider's dashboard does: from the
     * account's other credit, then into the overdraft its policy allows, and report what is left.
     */
    TAKE_FROM_ACCOUNT
  }

  private RefundRequest(Builder b) {
    this.tenant = b.tenant;
    this.purchase = b.purchase;
    this.amount = Optional.ofNullable(b.amount);
    this.idempotencyKey = BuilderRules.required(b.idempotencyKey, "idempotencyKey");
    this.actor = BuilderRules.required(b.actor, "actor");
    this.reason = BuilderRules.required(b.reason, "reason");
    this.beyondUnused = b.beyondUnused == null ? BeyondUnused.REFUSE : b.beyondUnused;
  }

  public static Builder builder(TenantId tenant, PurchaseId purchase) {
    return new Builder(tenant, purchase);
  }

  public TenantId tenant() {
    return tenant;
  }

  public PurchaseId purchase() {
    return purchase;
  }

  /** How much to refund; empty: what is not refunded yet. */
  public Optional<Amount> amount() {
    return amount;
  }

  public IdempotencyKey idempotencyKey() {
    return idempotencyKey;
  }

  public Actor actor() {
    return actor;
  }

  public String reason() {
    return reason;
  }

  public BeyondUnused beyondUnused() {
    return beyondUnused;
  }

  @Override
  public String toString() {
    return "RefundRequest["
        + tenant
        + "/"
        + purchase
        + ", "
        + amount.map(Amount::toString).orElse("rest")
        + "]";
  }

  /** Each setter checks its value at once and may be called once. */
  public static final class Builder {
    private final TenantId tenant;
    private final PurchaseId purchase;
    private @Nullable Amount amount;
    private @Nullable IdempotencyKey idempotencyKey;
    private @Nullable Actor actor;
    private @Nullable String reason;
    private @Nullable BeyondUnused beyondUnused;

    private Builder(TenantId tenant, PurchaseId purchase) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.purchase = InvalidRequestException.requireNonNull(purchase, "purchase");
    }

    /** Positive; in the purchase's currency (checked against the purchase when refunding). */
    public Builder amount(Amount amount) {
      InvalidRequestException.requireNonNull(amount, "amount");
      if (!amount.isPositive()) {
        throw new InvalidRequestException("amount", amount, "must be positive");
      }
      this.amount = BuilderRules.once("amount", this.amount, amount);
      return this;
    }

    public Builder idempotencyKey(IdempotencyKey key) {
      this.idempotencyKey = BuilderRules.once("idempotencyKey", idempotencyKey, key);
      return this;
    }

    public Builder actor(Actor actor) {
      this.actor = BuilderRules.once("actor", this.actor, actor);
      return this;
    }

    public Builder reason(String reason) {
      this.reason =
          BuilderRules.once("reason", this.reason, InputContract.reason(reason, "reason"));
      return this;
    }

    /** What to do when the refund's share of credit is more than is unused; REFUSE by default. */
    public Builder beyondUnused(BeyondUnused rule) {
      this.beyondUnused = BuilderRules.once("beyondUnused", beyondUnused, rule);
      return this;
    }

    public RefundRequest build() {
      return new RefundRequest(this);
    }
  }
}
