package dev.billingsdk.economy;

import dev.billingsdk.Actor;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Instant;

/**
 * One saved version of a tenant's settings: what they were from {@code at} until the next version,
 * who saved them and why. Versions are only ever added; the one before ({@code version - 1}) is the
 * "before" of the change.
 *
 * @param version 1 for the first settings, then one more per change
 */
public record SettingsVersion(
    TenantId tenant,
    int version,
    EconomySettings settings,
    Actor actor,
    Instant at,
    String reason) {

  public SettingsVersion {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    if (version < 1) {
      throw new InvalidRequestException("version", version, "must be at least 1");
    }
    InvalidRequestException.requireNonNull(settings, "settings");
    InvalidRequestException.requireNonNull(actor, "actor");
    at = InputContract.instant(at, "at");
    reason = InputContract.reason(reason, "reason");
  }
}
