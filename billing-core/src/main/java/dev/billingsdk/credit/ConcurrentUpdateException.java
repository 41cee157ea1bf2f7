package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;

/**
 * The account kept changing under a write for every allowed attempt; nothing was written and the
 * same request may be sent again.
 */
public class ConcurrentUpdateException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final transient AccountId account;
  private final int attempts;

  public ConcurrentUpdateException(TenantId tenant, AccountId account, int attempts) {
    super("account " + account + " in tenant " + tenant + " changed during " + attempts + " tries");
    this.tenant = tenant;
    this.account = account;
    this.attempts = attempts;
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public int attempts() {
    return attempts;
  }
}
