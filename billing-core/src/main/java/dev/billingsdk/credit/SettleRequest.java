package dev.billingsdk.credit;

import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;

/**
 * Settles a reservation with the actual amount: less than held releases the rest to where it came
 * from; more than held charges the difference under the account's overdraft policy. Zero settles
 * and releases everything.
 */
public record SettleRequest(
    TenantId tenant,
    ReservationId reservation,
    Amount actual,
    IdempotencyKey idempotencyKey,
    Actor actor,
    String reason) {

  public SettleRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(reservation, "reservation");
    InvalidRequestException.requireNonNull(actual, "actual");
    InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey");
    InvalidRequestException.requireNonNull(actor, "actor");
    InvalidRequestException.requireText(reason, "reason");
    if (actual.isNegative()) {
      throw new InvalidRequestException("actual", actual, "must not be negative");
    }
  }
}
