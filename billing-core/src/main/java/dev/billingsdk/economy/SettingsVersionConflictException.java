package dev.billingsdk.economy;

import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;

/**
 * A settings change was based on a version that is no longer the latest: someone else saved first.
 * Nothing was written; read the current settings and decide again.
 */
public final class SettingsVersionConflictException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;
  private final int expectedVersion;
  private final int actualVersion;

  public SettingsVersionConflictException(TenantId tenant, int expectedVersion, int actualVersion) {
    super(
        "the credit economy settings of "
            + tenant
            + " are at version "
            + actualVersion
            + ", not "
            + expectedVersion
            + ": they were changed meanwhile");
    this.tenant = tenant;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  public TenantId tenant() {
    return tenant;
  }

  public int expectedVersion() {
    return expectedVersion;
  }

  public int actualVersion() {
    return actualVersion;
  }
}
