package dev.billingsdk.spi;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.LowBalanceAlert;

/**
 * An account's low-balance alert and whether it has fired: {@code below} is true from the write
 * that took the balance below the threshold until the write that brought it back to the re-arm
 * level. Stored with the account and changed only by a versioned write, so that two concurrent
 * debits can never both fire it.
 */
public record AlertState(LowBalanceAlert alert, boolean below) {

  public AlertState {
    InvalidRequestException.requireNonNull(alert, "alert");
  }
}
