package dev.billingsdk.statement;

import dev.billingsdk.AccountId;
import java.util.List;
import java.util.Optional;

/**
 * A page of the account-balances table, by account then month.
 *
 * @param next the {@link BalanceQuery.Builder#after} of the next page, empty on the last
 */
public record BalancePage(List<BalanceRow> rows, Optional<AccountId> next) {
  public BalancePage {
    rows = List.copyOf(rows);
  }
}
