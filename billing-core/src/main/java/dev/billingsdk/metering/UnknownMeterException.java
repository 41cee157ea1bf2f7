package dev.billingsdk.metering;

import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;

/** No meter with this key is defined in the tenant. Nothing was written. */
public class UnknownMeterException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final String meter;

  public UnknownMeterException(TenantId tenant, String meter) {
    super("no meter " + meter + " in tenant " + tenant);
    this.tenant = tenant;
    this.meter = meter;
  }

  public TenantId tenant() {
    return tenant;
  }

  public String meter() {
    return meter;
  }
}
