package dev.billingsdk.ledger;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;

/** One leg of a transaction: a signed, non-zero amount on a ledger account. */
public record Posting(LedgerAccount account, Amount amount) {

  public Posting {
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(amount, "amount");
    if (amount.isZero()) {
      throw new InvalidRequestException("amount", amount, "a posting must not be zero");
    }
  }

  public static Posting of(LedgerAccount account, Amount amount) {
    return new Posting(account, amount);
  }
}
