package dev.billingsdk.spi;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.money.Amount;
import java.util.List;

/**
 * A consistent read of one account: its grants that still hold credit, what it owes, and the
 * version that a {@link LedgerWrite} must name to be applied.
 *
 * @param liveGrants grants whose remaining credit is not zero, in no particular order
 * @param overdraft the OVERDRAFT ledger balance: zero, or negative while the account owes
 * @param version increases with every write to the account
 */
public record AccountSnapshot(
    Account account, List<GrantBalance> liveGrants, Amount overdraft, long version) {

  public AccountSnapshot {
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(liveGrants, "liveGrants");
    InvalidRequestException.requireNonNull(overdraft, "overdraft");
    liveGrants = List.copyOf(liveGrants);
  }
}
