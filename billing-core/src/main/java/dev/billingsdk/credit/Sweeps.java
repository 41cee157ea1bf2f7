package dev.billingsdk.credit;

import dev.billingsdk.Actor;
import dev.billingsdk.TenantId;

/**
 * The periodic jobs that make time-based changes durable: grant expiry and reservation expiry. Each
 * item is its own transaction under an idempotency key derived from what it expires, so a sweep
 * posts each expiry exactly once, however often it runs, and a sweep cut off half-way (a crash, a
 * deploy) is finished by simply running it again. Obtain from {@code Billing}.
 */
public interface Sweeps {

  /**
   * Posts an EXPIRY transaction for the unused remainder of every grant of the tenant whose expiry
   * instant has passed, effective at that instant.
   *
   * @param dryRun when true, writes nothing and returns what it would post
   */
  SweepResult expireGrants(TenantId tenant, Actor actor, boolean dryRun);

  /**
   * Releases every active reservation of the tenant whose time-to-live has passed, effective at its
   * expiry instant.
   *
   * @param dryRun when true, writes nothing and returns what it would post
   */
  SweepResult expireReservations(TenantId tenant, Actor actor, boolean dryRun);
}
