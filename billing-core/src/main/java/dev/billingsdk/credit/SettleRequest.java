package dev.billingsdk.credit;

import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;

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
    this.idempotencyKey = b.requiredIdempotencyKey();
    this.actor = b.requiredActor();
    this.reason = b.requiredReason();
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
  public static final class Builder extends AuditedBuilder<Builder> {
    private final TenantId tenant;
    private final ReservationId reservation;
    private final Amount actual;

    private Builder(TenantId tenant, ReservationId reservation, Amount actual) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.reservation = InvalidRequestException.requireNonNull(reservation, "reservation");
      this.actual = notNegative(actual);
    }

    private static Amount notNegative(Amount actual) {
      InvalidRequestException.requireNonNull(actual, "actual");
      if (actual.isNegative()) {
        throw new InvalidRequestException("actual", actual, "must not be negative");
      }
      return actual;
    }

    @Override
    Builder self() {
      return this;
    }

    public SettleRequest build() {
      return new SettleRequest(this);
    }
  }
}
