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
public final class GrantRequest {
  public static final int DEFAULT_PRIORITY = 50;

  private final TenantId tenant;
  private final AccountId account;
  private final Amount amount;
  private final GrantCategory category;
  private final int priority;
  private final String name;
  private final Optional<Instant> effectiveFrom;
  private final Optional<Instant> expiresAt;
  private final Scope scope;
  private final CostBasis costBasis;
  private final Map<String, String> metadata;
  private final IdempotencyKey idempotencyKey;
  private final Actor actor;
  private final String reason;

  private GrantRequest(Builder b) {
    this.tenant = b.tenant;
    this.account = b.account;
    this.amount = b.amount;
    this.category = b.category;
    this.priority = b.priority;
    this.name = b.name;
    this.effectiveFrom = Optional.ofNullable(b.effectiveFrom);
    this.expiresAt = Optional.ofNullable(b.expiresAt);
    this.scope = b.scope;
    this.costBasis = b.costBasis;
    this.metadata = b.metadata;
    this.idempotencyKey = b.requiredIdempotencyKey();
    this.actor = b.requiredActor();
    this.reason = b.requiredReason();
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public Amount amount() {
    return amount;
  }

  public GrantCategory category() {
    return category;
  }

  public int priority() {
    return priority;
  }

  public String name() {
    return name;
  }

  public Optional<Instant> effectiveFrom() {
    return effectiveFrom;
  }

  public Optional<Instant> expiresAt() {
    return expiresAt;
  }

  public Scope scope() {
    return scope;
  }

  public CostBasis costBasis() {
    return costBasis;
  }

  public Map<String, String> metadata() {
    return metadata;
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

  @Override
  public String toString() {
    return "GrantRequest[tenant="
        + tenant
        + ", account="
        + account
        + ", amount="
        + amount
        + ", category="
        + category
        + ", priority="
        + priority
        + ", effectiveFrom="
        + effectiveFrom
        + ", expiresAt="
        + expiresAt
        + ", scope="
        + scope
        + ", costBasis="
        + costBasis
        + ", idempotencyKey="
        + idempotencyKey
        + ", actor="
        + actor
        + "]";
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
  public static final class Builder extends AuditedBuilder<Builder> {
    private final TenantId tenant;
    private final AccountId account;
    private final Amount amount;
    private GrantCategory category = GrantCategory.PROMOTIONAL;
    private int priority = DEFAULT_PRIORITY;
    private String name = "";
    // Null until set: optional ones become Optional.empty(), required ones are refused by build().
    private @Nullable Instant effectiveFrom;
    private @Nullable Instant expiresAt;
    private Scope scope = Scope.everything();
    private CostBasis costBasis = CostBasis.free();
    private Map<String, String> metadata = Map.of();

    private Builder(TenantId tenant, AccountId account, Amount amount) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      this.amount = InvalidRequestException.requireNonNull(amount, "amount");
      if (!amount.isPositive()) {
        throw new InvalidRequestException("amount", amount, "must be positive");
      }
    }

    public Builder category(GrantCategory category) {
      InvalidRequestException.requireNonNull(category, "category");
      this.category = set.set("category", category);
      return this;
    }

    public Builder priority(int priority) {
      Grant.checkPriority(priority);
      this.priority = set.set("priority", priority);
      return this;
    }

    public Builder name(String name) {
      this.name = set.set("name", InputContract.text(name, "name", InputContract.MAX_NAME));
      return this;
    }

    public Builder effectiveFrom(Instant effectiveFrom) {
      this.effectiveFrom =
          set.set("effectiveFrom", InputContract.instant(effectiveFrom, "effectiveFrom"));
      return this;
    }

    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = set.set("expiresAt", InputContract.instant(expiresAt, "expiresAt"));
      return this;
    }

    public Builder scope(Scope scope) {
      this.scope = set.set("scope", InvalidRequestException.requireNonNull(scope, "scope"));
      return this;
    }

    public Builder costBasis(CostBasis costBasis) {
      this.costBasis =
          set.set("costBasis", InvalidRequestException.requireNonNull(costBasis, "costBasis"));
      return this;
    }

    public Builder metadata(Map<String, String> metadata) {
      this.metadata = set.set("metadata", References.check(metadata, "metadata"));
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public GrantRequest build() {
      if (effectiveFrom != null && expiresAt != null && !expiresAt.isAfter(effectiveFrom)) {
        throw new InvalidRequestException(
            "expiresAt", expiresAt, "must be after effectiveFrom " + effectiveFrom);
      }
      if (category.equals(GrantCategory.PURCHASED) && costBasis.isFree()) {
        throw new InvalidRequestException(
            "costBasis", costBasis, "must state the price paid for purchased credits");
      }
      return new GrantRequest(this);
    }
  }
}
