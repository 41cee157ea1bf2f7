package dev.billingsdk.testkit;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;

/**
 * A ledger rule found broken by {@link LedgerChecks}. An {@link AssertionError}, so every test
 * framework reports it as a failed check, whatever assertion library the host uses; the message
 * names the rule, the account and the values that disagree.
 */
public final class LedgerCheckFailure extends AssertionError {
  private static final long serialVersionUID = 1L;

  private final LedgerRule rule;
  private final TenantId tenant;
  private final AccountId account;

  LedgerCheckFailure(LedgerRule rule, TenantId tenant, AccountId account, String detail) {
    super(
        "ledger rule "
            + rule
            + " ("
            + rule.summary()
            + ") broken on account "
            + account
            + " of tenant "
            + tenant
            + ": "
            + detail);
    this.rule = rule;
    this.tenant = tenant;
    this.account = account;
  }

  /** The rule found broken. */
  public LedgerRule rule() {
    return rule;
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }
}
