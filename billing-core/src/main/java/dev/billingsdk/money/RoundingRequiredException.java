package dev.billingsdk.money;

import dev.billingsdk.BillingException;
import java.math.BigDecimal;

/**
 * An exact value does not fit the smallest subdivision of its unit, and no rounding mode was given.
 * The library never rounds silently.
 */
public class RoundingRequiredException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final BigDecimal value;
  private final transient Unit unit;

  public RoundingRequiredException(BigDecimal value, Unit unit) {
    super(value.toPlainString() + " is not a whole number of " + unit + " minor units");
    this.value = value;
    this.unit = unit;
  }

  public BigDecimal value() {
    return value;
  }

  public Unit unit() {
    return unit;
  }
}
