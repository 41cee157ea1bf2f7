package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Reserves credit for an in-flight operation. The charge says what it is for (scope matching reads
 * its kind and item) and how much to hold; the hold follows the account's overdraft policy as a
 * charge would. It ends when settled, released, or {@code timeToLive} after it was made. Build with
 * {@link #builder}: time to live, idempotency key, actor and reason are required.
 */
public final class ReserveRequest {
  private final TenantId tenant;
  private final AccountId account;
  private final Charge charge;
  private final Duration timeToLive;
  private final IdempotencyKey idempotencyKey;
  private final Actor actor;
  private final String reason;

  private ReserveRequest(Builder b) {
    this.tenant = b.tenant;
    this.account = b.account;
    this.charge = b.charge;
    this.timeToLive = SetOnce.required(b.timeToLive, "timeToLive");
    this.idempotencyKey = b.requiredIdempotencyKey();
    this.actor = b.requiredActor();
    this.reason = b.requiredReason();
  }

  public static Builder builder(TenantId tenant, AccountId account, Charge charge) {
    return new Builder(tenant, account, charge);
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public Charge charge() {
    return charge;
  }

  public Duration timeToLive() {
    return timeToLive;
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
    return "ReserveRequest[tenant="
        + tenant
        + ", account="
        + account
        + ", charge="
        + charge
        + ", timeToLive="
        + timeToLive
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
    private final Charge charge;
    private @Nullable Duration timeToLive;

    private Builder(TenantId tenant, AccountId account, Charge charge) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      this.charge = InvalidRequestException.requireNonNull(charge, "charge");
    }

    /** How long the hold lasts if neither settled nor released: positive, at most 100 years. */
    public Builder timeToLive(Duration timeToLive) {
      this.timeToLive =
          set.set("timeToLive", InputContract.duration(timeToLive, "timeToLive", true));
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public ReserveRequest build() {
      return new ReserveRequest(this);
    }
  }
}
