package dev.billingsdk.economy;

import dev.billingsdk.Actor;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;

/**
 * Saves a tenant's settings as the version after {@code basedOn} (0 for the first settings).
 *
 * @param basedOn the version the change was decided on: when another change was saved since, the
 *     save is refused ({@link SettingsVersionConflictException}), never merged
 */
public record SettingsUpdate(
    TenantId tenant, int basedOn, EconomySettings settings, Actor actor, String reason) {

  public SettingsUpdate {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    if (basedOn < 0) {
      throw new InvalidRequestException("basedOn", basedOn, "must be 0 (none yet) or a version");
    }
    InvalidRequestException.requireNonNull(settings, "settings");
    InvalidRequestException.requireNonNull(actor, "actor");
    reason = InputContract.reason(reason, "reason");
  }

  public static SettingsUpdate of(
      TenantId tenant, int basedOn, EconomySettings settings, Actor actor, String reason) {
    return new SettingsUpdate(tenant, basedOn, settings, actor, reason);
  }
}
