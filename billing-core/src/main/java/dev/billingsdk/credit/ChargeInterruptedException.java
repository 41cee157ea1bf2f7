package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;

/**
 * The calling thread was interrupted while its charge waited for its turn behind other charges of
 * the same account (charge coalescing, {@code Billing.Builder.coalesceCharges}). The charge had not
 * been handed to the store: nothing was written for it, and the same request may be sent again. The
 * thread's interrupt status is set again before this is thrown.
 */
public class ChargeInterruptedException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final transient AccountId account;
  private final transient IdempotencyKey key;

  public ChargeInterruptedException(TenantId tenant, AccountId account, IdempotencyKey key) {
    super(
        "interrupted while charge "
            + key
            + " of account "
            + account
            + " in tenant "
            + tenant
            + " waited for its turn; nothing was written");
    this.tenant = tenant;
    this.account = account;
    this.key = key;
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public IdempotencyKey idempotencyKey() {
    return key;
  }
}
