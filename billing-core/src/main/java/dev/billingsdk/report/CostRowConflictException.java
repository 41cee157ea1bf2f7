package dev.billingsdk.report;

import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;

/**
 * An imported cost row has the id of a row stored (or earlier in the same batch) with different
 * content: the export changed a row the library already holds, or two rows share an id. Nothing of
 * the batch was stored.
 */
public final class CostRowConflictException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;
  private final String rowId;

  public CostRowConflictException(TenantId tenant, String rowId) {
    super(
        "cost row "
            + rowId
            + " of "
            + tenant
            + " is already stored with different content; nothing of the batch was stored");
    this.tenant = tenant;
    this.rowId = rowId;
  }

  public TenantId tenant() {
    return tenant;
  }

  /** The id of the conflicting row. */
  public String rowId() {
    return rowId;
  }
}
