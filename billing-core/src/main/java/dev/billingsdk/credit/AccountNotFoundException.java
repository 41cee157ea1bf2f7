package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;

/** No account with this id exists in the tenant. */
public class AccountNotFoundException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final transient AccountId account;

  public AccountNotFoundException(TenantId tenant, AccountId account) {
    super("no account " + account + " in tenant " + tenant);
    this.tenant = tenant;
    this.account = account;
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }
}
