package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;

/**
 * A charge needs more than the account's eligible grants and its overdraft policy allow; nothing
 * was written.
 */
public class InsufficientCreditException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final transient AccountId account;
  private final transient Amount requested;
  private final transient Amount available;

  public InsufficientCreditException(
      TenantId tenant, AccountId account, Amount requested, Amount available) {
    super(
        "account "
            + account
            + " in tenant "
            + tenant
            + " cannot pay "
            + requested
            + ": "
            + available
            + " available for this charge");
    this.tenant = tenant;
    this.account = account;
    this.requested = requested;
    this.available = available;
  }

  /**
   * A deduction of {@code requested} from the account's grants of {@code category} that hold only
   * {@code available} now.
   */
  public InsufficientCreditException(
      TenantId tenant,
      AccountId account,
      Amount requested,
      Amount available,
      GrantCategory category) {
    super(
        "account "
            + account
            + " in tenant "
            + tenant
            + " cannot give up "
            + requested
            + " of category "
            + category.code()
            + ": "
            + available
            + " available in it");
    this.tenant = tenant;
    this.account = account;
    this.requested = requested;
    this.available = available;
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  public Amount requested() {
    return requested;
  }

  /** What eligible grants hold plus the overdraft headroom, for this charge. */
  public Amount available() {
    return available;
  }
}
