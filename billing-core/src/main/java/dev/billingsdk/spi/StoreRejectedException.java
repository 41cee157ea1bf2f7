package dev.billingsdk.spi;

import dev.billingsdk.BillingException;

/**
 * The store refused a write that the service believed valid (a {@link CommitResult.Rejected}):
 * nothing was written. It signals a defect in a service or store, never a caller's mistake.
 */
public class StoreRejectedException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public StoreRejectedException(String reason) {
    super("store refused the write: " + reason);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
