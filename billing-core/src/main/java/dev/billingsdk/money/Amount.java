package dev.billingsdk.money;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An exact amount: a whole number of its unit's smallest subdivision ({@code minor}). Arithmetic
 * stays within one unit and is overflow-checked; equality is unit and minor units, so {@code USD
 * 1.0} and {@code USD 1.00} are the same amount.
 */
public record Amount(Unit unit, long minor) implements Comparable<Amount> {

  public Amount {
    InvalidRequestException.requireNonNull(unit, "unit");
  }

  public static Amount ofMinor(Unit unit, long minor) {
    return new Amount(unit, minor);
  }

  /**
   * The amount for a whole number of units, e.g. {@code of(USD, 12)} is USD 12.00 (1,200 minor
   * units); beside {@link #ofMinor}, which counts the smallest subdivision.
   *
   * @throws AmountOverflowException if the minor units do not fit a {@code long}
   */
  public static Amount of(Unit unit, long wholeUnits) {
    InvalidRequestException.requireNonNull(unit, "unit");
    long factor = 1;
    for (int i = 0; i < unit.scale(); i++) {
      factor *= 10; // a unit's scale is at most 18 (credit units: 12), so this cannot overflow
    }
    try {
      return new Amount(unit, Math.multiplyExact(wholeUnits, factor));
    } catch (ArithmeticException e) {
      throw new AmountOverflowException("Amount.of(" + unit.code() + ", " + wholeUnits + ")");
    }
  }

  public static Amount zero(Unit unit) {
    return new Amount(unit, 0);
  }

  /**
   * The amount for a decimal number of whole units, e.g. {@code of(USD, "12.34")}.
   *
   * @throws RoundingRequiredException if the value has more decimals than the unit's scale
   */
  public static Amount of(Unit unit, BigDecimal value) {
    return of(unit, value, RoundingMode.UNNECESSARY);
  }

  public static Amount of(Unit unit, String value) {
    return of(unit, InputContract.decimal(value, "value"));
  }

  /** The amount for a decimal value, rounded to the unit's scale with an explicit mode. */
  public static Amount of(Unit unit, BigDecimal value, RoundingMode rounding) {
    InvalidRequestException.requireNonNull(unit, "unit");
    InputContract.decimal(value, "value");
    InvalidRequestException.requireNonNull(rounding, "rounding");
    BigDecimal scaled;
    try {
      scaled = value.setScale(unit.scale(), rounding);
    } catch (ArithmeticException e) {
      throw new RoundingRequiredException(value, unit);
    }
    try {
      return new Amount(unit, scaled.unscaledValue().longValueExact());
    } catch (ArithmeticException e) {
      throw new AmountOverflowException("Amount.of(" + value.toPlainString() + ")");
    }
  }

  public Amount plus(Amount other) {
    requireSameUnit(other);
    try {
      return new Amount(unit, Math.addExact(minor, other.minor));
    } catch (ArithmeticException e) {
      throw new AmountOverflowException(this + " + " + other);
    }
  }

  public Amount minus(Amount other) {
    requireSameUnit(other);
    try {
      return new Amount(unit, Math.subtractExact(minor, other.minor));
    } catch (ArithmeticException e) {
      throw new AmountOverflowException(this + " - " + other);
    }
  }

  public Amount negate() {
    try {
      return new Amount(unit, Math.negateExact(minor));
    } catch (ArithmeticException e) {
      throw new AmountOverflowException("-" + this);
    }
  }

  public Amount min(Amount other) {
    return compareTo(other) <= 0 ? this : other;
  }

  public Amount max(Amount other) {
    return compareTo(other) >= 0 ? this : other;
  }

  public boolean isZero() {
    return minor == 0;
  }

  public boolean isPositive() {
    return minor > 0;
  }

  public boolean isNegative() {
    return minor < 0;
  }

  /** The value in whole units, exact (e.g. {@code 12.34}). */
  public BigDecimal toDecimal() {
    return BigDecimal.valueOf(minor, unit.scale());
  }

  /** Compares amounts of the same unit; a different unit is a {@link UnitMismatchException}. */
  @Override
  public int compareTo(Amount other) {
    requireSameUnit(other);
    return Long.compare(minor, other.minor);
  }

  /** Throws {@link UnitMismatchException} unless {@code other} has this amount's unit. */
  public void requireSameUnit(Amount other) {
    InvalidRequestException.requireNonNull(other, "amount");
    if (!unit.equals(other.unit)) {
      throw new UnitMismatchException(unit, other.unit);
    }
  }

  @Override
  public String toString() {
    return unit.code() + " " + toDecimal().toPlainString();
  }
}
