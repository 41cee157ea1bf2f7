package dev.billingsdk.economy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Instant;

/**
 * Records that {@code referrer} referred {@code referred} at {@code at} (not after now); both
 * accounts must be open in the tenant, in the settings' credit unit.
 */
public record ReferralRequest(
    TenantId tenant, AccountId referrer, AccountId referred, Instant at, Actor actor) {

  public ReferralRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(referrer, "referrer");
    InvalidRequestException.requireNonNull(referred, "referred");
    if (referrer.equals(referred)) {
      throw new InvalidRequestException("referred", referred, "must not be the referrer");
    }
    at = InputContract.instant(at, "at");
    InvalidRequestException.requireNonNull(actor, "actor");
  }

  public static ReferralRequest of(
      TenantId tenant, AccountId referrer, AccountId referred, Instant at, Actor actor) {
    return new ReferralRequest(tenant, referrer, referred, at, actor);
  }
}
