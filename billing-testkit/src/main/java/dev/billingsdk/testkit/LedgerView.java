package dev.billingsdk.testkit;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import dev.billingsdk.setup.Billing;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link LedgerChecks} judges: one account, its whole ledger, every grant with its balance,
 * what its active reservations hold and what it owes, and (read through the public API) its
 * balance. {@link #of} reads it from a {@link Billing}; a storage test can build one from what a
 * store returns, and a test of the checks themselves can build an inconsistent one by hand.
 *
 * @param transactions every transaction of the account, oldest first
 * @param grants every grant of the account with its balance, spent and voided ones included
 * @param reserved what the account's active reservations hold
 * @param owed what the account owes under its overdraft policy (zero or positive)
 * @param balance the account's balance as the library reports it, if read
 */
public record LedgerView(
    Account account,
    List<LedgerTransaction> transactions,
    List<GrantBalance> grants,
    Amount reserved,
    Amount owed,
    Optional<AccountBalance> balance) {

  public LedgerView {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(reserved, "reserved");
    Objects.requireNonNull(owed, "owed");
    Objects.requireNonNull(balance, "balance");
    transactions = List.copyOf(transactions);
    grants = List.copyOf(grants);
  }

  /**
   * Reads the account through the public API: its balance first (which, like every read of an
   * account, lets the library end reservations past their time-to-live), then its ledger and its
   * grants. Read it while nothing else writes to the account.
   *
   * @throws AssertionError if the tenant has no such account
   */
  public static LedgerView of(Billing billing, TenantId tenant, AccountId account) {
    Objects.requireNonNull(billing, "billing");
    Account acc =
        billing
            .credits()
            .findAccount(tenant, account)
            .orElseThrow(
                () -> new AssertionError("tenant " + tenant + " has no account " + account));
    AccountBalance balance = billing.credits().balance(tenant, account);
    return new LedgerView(
        acc,
        billing.ledger().transactions(tenant, account),
        billing.credits().grants(tenant, account),
        balance.reserved(),
        balance.owed(),
        Optional.of(balance));
  }
}
