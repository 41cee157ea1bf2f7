package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Adds credits to an account. Build with {@link #builder}; the builder's defaults are priority 50,
 * effective at once, no expiry, scope everything and (for all but purchased credits) a free cost
 * basis. Purchased credits must state what was paid.
 */
public record GrantRequest(
    TenantId tenant,
    AccountId account,
    Amount amount,
    GrantCategory category,
    int priority,
    String name,
    Optional<Instant> effectiveFrom,
    Optional<Instant> expiresAt,
    Scope scope,
    CostBasis costBasis,
    Map<String, String> metadata,
    IdempotencyKey idempotencyKey,
    Actor actor,
    String reason) {

  public static final int DEFAULT_PRIORITY = 50;

  public GrantRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(amount, "amount");
    if (!amount.isPositive()) {
      throw new InvalidRequestException("amount", amount, "must be positive");
    }
    InvalidRequestException.requireNonNull(category, "category");
    Grant.checkPriority(priority);
    InputContract.text(name, "name", InputContract.MAX_NAME);
    InvalidRequestException.requireNonNull(effectiveFrom, "effectiveFrom");
    InvalidRequestException.requireNonNull(expiresAt, "expiresAt");
    effectiveFrom = effectiveFrom.map(i -> InputContract.instant(i, "effectiveFrom"));
    expiresAt = expiresAt.map(i -> InputContract.instant(i, "expiresAt"));
    if (effectiveFrom.isPresent()
        && expiresAt.isPresent()
        && !expiresAt.get().isAfter(effectiveFrom.get())) {
      throw new InvalidRequestException(
          "expiresAt", expiresAt.get(), "must be after effectiveFrom " + effectiveFrom.get());
    }
    InvalidRequestException.requireNonNull(scope, "scope");
    InvalidRequestException.requireNonNull(costBasis, "costBasis");
    if (category.equals(GrantCategory.PURCHASED) && costBasis.isFree()) {
      throw new InvalidRequestException(
          "costBasis", costBasis, "must state the price paid for purchased credits");
    }
    metadata = References.check(metadata, "metadata");
    InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey");
    InvalidRequestException.requireNonNull(actor, "actor");
    InvalidRequestException.requireText(reason, "reason");
  }

  public static Builder builder(TenantId tenant, AccountId account, Amount amount) {
    return new Builder(tenant, account, amount);
  }

  /**
   * A mutable builder. Each setter checks its value at once and refuses being called a second time
   * (naming the value it already has), so a mistake is reported where it is made; {@link #build()}
   * checks what depends on several fields (expiry after effective time, a paid basis for purchased
   * credits) and that the idempotency key, actor and reason were given.
   */
  public static final class Builder {
    private final TenantId tenant;
    private final AccountId account;
    private final Amount amount;
    private final java.util.Map<String, Object> set = new java.util.HashMap<>();
    private GrantCategory category = GrantCategory.PROMOTIONAL;
    private int priority = DEFAULT_PRIORITY;
    private String name = "";
    // Null until set: optional ones become Optional.empty(), required ones are refused by build().
    private @Nullable Instant effectiveFrom;
    private @Nullable Instant expiresAt;
    private Scope scope = Scope.everything();
    private CostBasis costBasis = CostBasis.free();
    private Map<String, String> metadata = Map.of();
    private @Nullable IdempotencyKey idempotencyKey;
    private @Nullable Actor actor;
    private @Nullable String reason;

    private Builder(TenantId tenant, AccountId account, Amount amount) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      this.amount = InvalidRequestException.requireNonNull(amount, "amount");
      if (!amount.isPositive()) {
        throw new InvalidRequestException("amount", amount, "must be positive");
      }
    }

    /** Records that {@code field} is set to {@code value}, refusing a second call. */
    private <T> T once(String field, T value) {
      Object old = set.putIfAbsent(field, value);
      if (old != null) {
        throw new InvalidRequestException(field, value, "was already set to " + old);
      }
      return value;
    }

    public Builder category(GrantCategory category) {
      InvalidRequestException.requireNonNull(category, "category");
      this.category = once("category", category);
      return this;
    }

    public Builder priority(int priority) {
      Grant.checkPriority(priority);
      this.priority = once("priority", priority);
      return this;
    }

    public Builder name(String name) {
      this.name = once("name", InputContract.text(name, "name", InputContract.MAX_NAME));
      return this;
    }

    public Builder effectiveFrom(Instant effectiveFrom) {
      this.effectiveFrom =
          once("effectiveFrom", InputContract.instant(effectiveFrom, "effectiveFrom"));
      return this;
    }

    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = once("expiresAt", InputContract.instant(expiresAt, "expiresAt"));
      return this;
    }

    public Builder scope(Scope scope) {
      this.scope = once("scope", InvalidRequestException.requireNonNull(scope, "scope"));
      return this;
    }

    public Builder costBasis(CostBasis costBasis) {
      this.costBasis =
          once("costBasis", InvalidRequestException.requireNonNull(costBasis, "costBasis"));
      return this;
    }

    public Builder metadata(Map<String, String> metadata) {
      this.metadata = once("metadata", References.check(metadata, "metadata"));
      return this;
    }

    public Builder idempotencyKey(IdempotencyKey key) {
      this.idempotencyKey =
          once("idempotencyKey", InvalidRequestException.requireNonNull(key, "idempotencyKey"));
      return this;
    }

    public Builder idempotencyKey(String key) {
      return idempotencyKey(IdempotencyKey.of(key));
    }

    public Builder actor(Actor actor) {
      this.actor = once("actor", InvalidRequestException.requireNonNull(actor, "actor"));
      return this;
    }

    public Builder reason(String reason) {
      this.reason = once("reason", InputContract.reason(reason, "reason"));
      return this;
    }

    public GrantRequest build() {
      return new GrantRequest(
          tenant,
          account,
          amount,
          category,
          priority,
          name,
          Optional.ofNullable(effectiveFrom),
          Optional.ofNullable(expiresAt),
          scope,
          costBasis,
          metadata,
          InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey"),
          InvalidRequestException.requireNonNull(actor, "actor"),
          InvalidRequestException.requireNonNull(reason, "reason"));
    }
  }
}
