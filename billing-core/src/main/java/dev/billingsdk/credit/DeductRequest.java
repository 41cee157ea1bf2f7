package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;

/**
 * Takes an amount of credit out of one category of an account's grants, as an administrator's
 * adjustment (seed 000's "deduct credits by category"). Build with {@link #builder}: idempotency
 * key, actor and reason are required.
 */
public final class DeductRequest {
  private final TenantId tenant;
  private final AccountId account;
  private final GrantCategory category;
  private final Amount amount;
  private final IdempotencyKey idempotencyKey;
  private final Actor actor;
  private final String reason;

  private DeductRequest(Builder b) {
    this.tenant = b.tenant;
    this.account = b.account;
    this.category = b.category;
    this.amount = b.amount;
    this.idempotencyKey = b.requiredIdempotencyKey();
    this.actor = b.requiredActor();
    this.reason = b.requiredReason();
  }

  /**
   * A deduction of {@code amount} from the account's grants of {@code category}.
   *
   * @throws InvalidRequestException if a value is null or the amount is not positive
   */
  public static Builder builder(
      TenantId tenant, AccountId account, GrantCategory category, Amount amount) {
    return new Builder(tenant, account, category, amount);
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public GrantCategory category() {
    return category;
  }

  public Amount amount() {
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

  @Override
  public String toString() {
    return "DeductRequest[tenant="
        + tenant
        + ", account="
        + account
        + ", category="
        + category.code()
        + ", amount="
        + amount
        + ", idempotencyKey="
        + idempotencyKey
        + ", actor="
        + actor
        + "]";
  }

  /** Each setter checks its value at once and may be called once. */
  public static final class Builder extends AuditedBuilder<Builder> {
    private final TenantId tenant;
    private final AccountId account;
    private final GrantCategory category;
    private final Amount amount;

    private Builder(TenantId tenant, AccountId account, GrantCategory category, Amount amount) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      this.category = InvalidRequestException.requireNonNull(category, "category");
      this.amount = InvalidRequestException.requireNonNull(amount, "amount");
      if (!amount.isPositive()) {
        throw new InvalidRequestException("amount", amount, "must be positive");
      }
    }

    @Override
    Builder self() {
      return this;
    }

    public DeductRequest build() {
      return new DeductRequest(this);
    }
  }
}
