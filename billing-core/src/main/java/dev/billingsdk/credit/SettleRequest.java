package dev.billingsdk.credit;

import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import org.jspecify.annotations.Nullable;

/**
 * Settles a reservation with the actual amount: less than held releases the rest to where it came
 * from; more than held charges the difference under the account's overdraft policy. Zero settles
 * and releases everything. Build with {@link #builder}: idempotency key, actor and reason are
 * required.
 */
public final class SettleRequest {
  private final TenantId tenant;
  private final ReservationId reservation;
  private final Amount actual;
  private final IdempotencyKey idempotencyKey;
  private final Actor actor;
  private final String reason;

  private SettleRequest(Builder b) {
    this.tenant = b.tenant;
    this.reservation = b.reservation;
    this.actual = b.actual;
    this.idempotencyKey = SetOnce.required(b.idempotencyKey, "idempotencyKey");
    this.actor = SetOnce.required(b.actor, "actor");
    this.reason = SetOnce.required(b.reason, "reason");
  }

  public static Builder builder(TenantId tenant, ReservationId reservation, Amount actual) {
    return new Builder(tenant, reservation, actual);
  }

  public TenantId tenant() {
    return tenant;
  }

  public ReservationId reservation() {
    return reservation;
  }

  public Amount actual() {
    return actual;
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
    return "SettleRequest[tenant="
        + tenant
        + ", reservation="
        + reservation
        + ", actual="
        + actual
        + ", idempotencyKey="
        + idempotencyKey
        + ", actor="
        + actor
        + "]";
  }

  /** Each setter checks its value at once and may be called once. */
  public static final class Builder {
    private final SetOnce set = new SetOnce();
    private final TenantId tenant;
    private final ReservationId reservation;
    private final Amount actual;
    private @Nullable IdempotencyKey idempotencyKey;
    private @Nullable Actor actor;
    private @Nullable String reason;

    private Builder(TenantId tenant, ReservationId reservation, Amount actual) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.reservation = InvalidRequestException.requireNonNull(reservation, "reservation");
      this.actual = notNegative(actual);
    }

    public Builder idempotencyKey(IdempotencyKey idempotencyKey) {
      this.idempotencyKey =
          set.set(
              "idempotencyKey",
              InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey"));
      return this;
    }

    public Builder actor(Actor actor) {
      this.actor = set.set("actor", InvalidRequestException.requireNonNull(actor, "actor"));
      return this;
    }

    public Builder reason(String reason) {
      this.reason = set.set("reason", InvalidRequestException.requireText(reason, "reason"));
      return this;
    }

    private static Amount notNegative(Amount actual) {
      InvalidRequestException.requireNonNull(actual, "actual");
      if (actual.isNegative()) {
        throw new InvalidRequestException("actual", actual, "must not be negative");
      }
      return actual;
    }

    public SettleRequest build() {
      return new SettleRequest(this);
    }
  }
}
