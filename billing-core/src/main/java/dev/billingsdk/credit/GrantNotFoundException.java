package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.GrantId;
import dev.billingsdk.TenantId;

/** No grant with this id exists on the account. */
public class GrantNotFoundException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final transient AccountId account;
  private final transient GrantId grant;

  public GrantNotFoundException(TenantId tenant, AccountId account, GrantId grant) {
    super("no grant " + grant + " on account " + account + " in tenant " + tenant);
    this.tenant = tenant;
    this.account = account;
    this.grant = grant;
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public GrantId grant() {
    return grant;
  }
}
