package dev.billingsdk.spi;

import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.OverdraftPolicy;
import java.util.Optional;

/**
 * The balance rules a store checks where the write happens, whatever the service decided: a grant
 * holds between zero and its original amount, and the account owes no more than its policy allows
 * (rule 4). Shared by every adapter so that they refuse the same writes with the same words.
 */
public final class WriteRules {
  private WriteRules() {}

  /** Why a grant may not end at {@code remaining}, or empty if it may. */
  public static Optional<String> checkGrant(String grantId, long remaining, long original) {
    if (remaining < 0) {
      return Optional.of("grant " + grantId + " would fall below zero (" + remaining + ")");
    }
    if (remaining > original) {
      return Optional.of(
          "grant " + grantId + " would exceed its original amount (" + remaining + ")");
    }
    return Optional.empty();
  }

  /** Why the account's overdraft may not end at {@code overdraft}, or empty if it may. */
  public static Optional<String> checkOverdraft(Account account, long overdraft) {
    if (overdraft > 0) {
      return Optional.of("overdraft balance would be positive (" + overdraft + ")");
    }
    long floor =
        account.overdraftPolicy() instanceof OverdraftPolicy.Limit limit
            ? -limit.limit().minor()
            : 0;
    if (overdraft < floor) {
      return Optional.of(
          "account "
              + account.id()
              + " would owe "
              + -overdraft
              + " minor units, beyond its policy "
              + account.overdraftPolicy());
    }
    return Optional.empty();
  }
}
