package dev.billingsdk.credit;

import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;

/**
 * Releases a reservation: everything it holds goes back to where it came from. Build with {@link
 * #builder}: idempotency key, actor and reason are required.
 */
public final class ReleaseRequest {
  private final TenantId tenant;
  private final ReservationId reservation;
  private final IdempotencyKey idempotencyKey;
  private final Actor actor;
  private final String reason;

  private ReleaseRequest(Builder b) {
    this.tenant = b.tenant;
    this.reservation = b.reservation;
    this.idempotencyKey = b.requiredIdempotencyKey();
    this.actor = b.requiredActor();
    this.reason = b.requiredReason();
  }

  public static Builder builder(TenantId tenant, ReservationId reservation) {
    return new Builder(tenant, reservation);
  }

  public TenantId tenant() {
    return tenant;
  }

  public ReservationId reservation() {
    return reservation;
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
    return "ReleaseRequest[tenant="
        + tenant
        + ", reservation="
        + reservation
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

    private Builder(TenantId tenant, ReservationId reservation) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.reservation = InvalidRequestException.requireNonNull(reservation, "reservation");
    }

    @Override
    Builder self() {
      return this;
    }

    public ReleaseRequest build() {
      return new ReleaseRequest(this);
    }
  }
}
