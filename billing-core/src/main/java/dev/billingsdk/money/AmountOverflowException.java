package dev.billingsdk.money;

import dev.billingsdk.BillingException;

/** An amount left the range of a {@code long} of minor units. Nothing is ever wrapped around. */
public class AmountOverflowException extends BillingException {
  private static final long serialVersionUID = 1L;

  public AmountOverflowException(String operation) {
    super("amount overflow in " + operation);
  }
}
