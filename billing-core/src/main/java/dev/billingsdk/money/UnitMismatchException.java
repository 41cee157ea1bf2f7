package dev.billingsdk.money;

import dev.billingsdk.BillingException;

/** Two amounts of different units met where only one unit is allowed (rule 8). */
public class UnitMismatchException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient Unit expected;
  private final transient Unit actual;

  public UnitMismatchException(Unit expected, Unit actual) {
    super("unit mismatch: expected " + expected + " but was " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  public Unit expected() {
    return expected;
  }

  public Unit actual() {
    return actual;
  }
}
