package dev.billingsdk.metering;

import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;
import java.util.List;

/**
 * Usage event ids were sent again with a different payload (account, meter, quantity, time or
 * dimensions). Nothing of the request was stored; the events first stored under those ids stand.
 */
public class UsageEventConflictException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final List<String> ids;

  public UsageEventConflictException(TenantId tenant, List<String> ids) {
    super(
        "usage event ids "
            + ids
            + " in tenant "
            + tenant
            + " were already used for different usage; nothing was stored");
    this.tenant = tenant;
    this.ids = List.copyOf(ids);
  }

  public TenantId tenant() {
    return tenant;
  }

  /** The conflicting ids, in request order. */
  public List<String> ids() {
    return ids;
  }
}
