package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.util.Optional;

/**
 * Reverses a debit (a refund of consumption, an error correction), in whole or in part: the credit
 * goes back to the grants it came from, last taken first. Build with {@link #builder}: without
 * {@link Builder#amount} it reverses all that is left to reverse; idempotency key, actor and reason
 * are required.
 */
public final class ReverseRequest {
  private final TenantId tenant;
  private final AccountId account;
  private final TransactionId original;
  private final Optional<Amount> amount;
  private final IdempotencyKey idempotencyKey;
  private final Actor actor;
  private final String reason;

  private ReverseRequest(Builder b) {
    this.tenant = b.tenant;
    this.account = b.account;
    this.original = b.original;
    this.amount = b.amount;
    this.idempotencyKey = b.requiredIdempotencyKey();
    this.actor = b.requiredActor();
    this.reason = b.requiredReason();
  }

  public static Builder builder(TenantId tenant, AccountId account, TransactionId original) {
    return new Builder(tenant, account, original);
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public TransactionId original() {
    return original;
  }

  /** How much to reverse; empty reverses all that is left to reverse. */
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

  @Override
  public String toString() {
    return "ReverseRequest[tenant="
        + tenant
        + ", account="
        + account
        + ", original="
        + original
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
    private final TransactionId original;
    private Optional<Amount> amount = Optional.empty();

    private Builder(TenantId tenant, AccountId account, TransactionId original) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      this.original = InvalidRequestException.requireNonNull(original, "original");
    }

    /** Reverses only {@code amount} (positive) of the original rather than all of it. */
    public Builder amount(Amount amount) {
      this.amount = Optional.of(set.set("amount", positive(amount)));
      return this;
    }

    private static Amount positive(Amount amount) {
      InvalidRequestException.requireNonNull(amount, "amount");
      if (!amount.isPositive()) {
        throw new InvalidRequestException("amount", amount, "must be positive");
      }
      return amount;
    }

    @Override
    Builder self() {
      return this;
    }

    public ReverseRequest build() {
      return new ReverseRequest(this);
    }
  }
}
