package dev.billingsdk.credit;

import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;

/** Releases a reservation: everything it holds goes back to where it came from. */
public record ReleaseRequest(
    TenantId tenant,
    ReservationId reservation,
    IdempotencyKey idempotencyKey,
    Actor actor,
    String reason) {

  public ReleaseRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(reservation, "reservation");
    InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey");
    InvalidRequestException.requireNonNull(actor, "actor");
    InvalidRequestException.requireText(reason, "reason");
  }
}
