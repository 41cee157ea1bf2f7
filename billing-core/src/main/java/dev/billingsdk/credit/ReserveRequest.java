package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Duration;

/**
 * Reserves credit for an in-flight operation. The charge says what it is for (scope matching reads
 * its kind and item) and how much to hold; the hold follows the account's overdraft policy as a
 * charge would. It ends when settled, released, or {@code timeToLive} after it was made.
 */
public record ReserveRequest(
    TenantId tenant,
    AccountId account,
    Charge charge,
    Duration timeToLive,
    IdempotencyKey idempotencyKey,
    Actor actor,
    String reason) {

  public ReserveRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(charge, "charge");
    InputContract.duration(timeToLive, "timeToLive", true);
    InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey");
    InvalidRequestException.requireNonNull(actor, "actor");
    InvalidRequestException.requireText(reason, "reason");
  }
}
