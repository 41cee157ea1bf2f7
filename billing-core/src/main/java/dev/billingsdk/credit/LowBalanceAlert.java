package dev.billingsdk.credit;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;

/**
 * When an account's spendable balance (available credit minus what it owes) falls below {@code
 * threshold}, one {@code BalanceBelowThreshold} event fires; no further one fires until the balance
 * has recovered to at least {@code rearmAt}, which fires {@code BalanceRecovered} and re-arms the
 * alert. A {@code rearmAt} above the threshold keeps a balance that hovers around the threshold
 * from firing on every small top-up and debit (hysteresis).
 */
public record LowBalanceAlert(Amount threshold, Amount rearmAt) {

  public LowBalanceAlert {
    InvalidRequestException.requireNonNull(threshold, "threshold");
    InvalidRequestException.requireNonNull(rearmAt, "rearmAt");
    threshold.requireSameUnit(rearmAt);
    if (threshold.isNegative()) {
      throw new InvalidRequestException("threshold", threshold, "must not be negative");
    }
    if (rearmAt.compareTo(threshold) < 0) {
      throw new InvalidRequestException(
          "rearmAt", rearmAt, "must be at least the threshold " + threshold);
    }
  }

  /** An alert that re-arms as soon as the balance is back at the threshold. */
  public static LowBalanceAlert below(Amount threshold) {
    return new LowBalanceAlert(threshold, threshold);
  }
}
