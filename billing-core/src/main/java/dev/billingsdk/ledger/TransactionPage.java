package dev.billingsdk.ledger;

import dev.billingsdk.InvalidRequestException;
import java.util.List;
import java.util.Optional;

/**
 * One page of an account's history, newest first.
 *
 * @param next the cursor for the following (older) page, or empty when this is the last one
 */
public record TransactionPage(List<LedgerTransaction> transactions, Optional<String> next) {

  public TransactionPage {
    InvalidRequestException.requireNonNull(transactions, "transactions");
    InvalidRequestException.requireNonNull(next, "next");
    for (int i = 0; i < transactions.size(); i++) {
      InvalidRequestException.requireNonNull(transactions.get(i), "transactions[" + i + "]");
    }
    transactions = List.copyOf(transactions);
  }
}
