package dev.billingsdk.money;

import dev.billingsdk.InvalidRequestException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * An exchange rate between two units: {@code cost} buys {@code per}, e.g. {@code USD 1.00} per
 * {@code 100 CREDIT} (a "price per credit"). The only way amounts change unit; every conversion
 * names its rounding mode, and {@link RoundingMode#UNNECESSARY} refuses inexact results.
 *
 * <p>A price also serves as a grant's cost basis: what was paid per credit.
 */
public record Price(Amount cost, Amount per) implements Comparable<Price> {

  public Price {
    InvalidRequestException.requireNonNull(cost, "cost");
    InvalidRequestException.requireNonNull(per, "per");
    if (cost.isNegative()) {
      throw new InvalidRequestException("cost", cost, "must not be negative");
    }
    if (!per.isPositive()) {
      throw new InvalidRequestException("per", per, "must be positive");
    }
    if (cost.unit().equals(per.unit())) {
      throw new InvalidRequestException("per", per, "must be in a different unit than the cost");
    }
  }

  public static Price of(Amount cost, Amount per) {
    return new Price(cost, per);
  }

  /**
   * Converts {@code amount} from either side of this price to the other side.
   *
   * @throws UnitMismatchException if {@code amount} is in neither unit of this price
   * @throws RoundingRequiredException if {@code rounding} is UNNECESSARY and the result is inexact
   */
  public Amount convert(Amount amount, RoundingMode rounding) {
    InvalidRequestException.requireNonNull(amount, "amount");
    InvalidRequestException.requireNonNull(rounding, "rounding");
    Amount from;
    Amount to;
    if (amount.unit().equals(per.unit())) {
      from = per;
      to = cost;
    } else if (amount.unit().equals(cost.unit())) {
      if (cost.isZero()) {
        throw new InvalidRequestException("amount", amount, "cannot be converted at a zero price");
      }
      from = cost;
      to = per;
    } else {
      throw new UnitMismatchException(per.unit(), amount.unit());
    }
    // Minor units are integers of each side's smallest subdivision, so the ratio of the two minor
    // amounts is the exact rate between minor units.
    BigDecimal exact =
        new BigDecimal(BigInteger.valueOf(amount.minor()).multiply(BigInteger.valueOf(to.minor())));
    BigDecimal result;
    try {
      result = exact.divide(BigDecimal.valueOf(from.minor()), 0, rounding);
    } catch (ArithmeticException e) {
      throw new RoundingRequiredException(
          exact
              .divide(BigDecimal.valueOf(from.minor()), java.math.MathContext.DECIMAL128)
              .movePointLeft(to.unit().scale()),
          to.unit());
    }
    try {
      return Amount.ofMinor(to.unit(), result.longValueExact());
    } catch (ArithmeticException e) {
      throw new AmountOverflowException("convert " + amount + " at " + this);
    }
  }

  /**
   * Orders prices: cheaper per unit first. Prices whose units differ cannot be compared by value,
   * so they order by cost unit code, then per unit code, then value: total and deterministic.
   */
  @Override
  public int compareTo(Price other) {
    int byUnit = cost.unit().code().compareTo(other.cost.unit().code());
    if (byUnit == 0) {
      byUnit = per.unit().code().compareTo(other.per.unit().code());
    }
    if (byUnit != 0) {
      return byUnit;
    }
    // cost/per against other.cost/other.per, exactly, by cross-multiplication: in longs when
    // neither product overflows (the high half is the sign extension of the low one).
    long a = cost.minor();
    long b = other.per.minor();
    long c = other.cost.minor();
    long d = per.minor();
    long leftLow = a * b;
    long rightLow = c * d;
    if (Math.multiplyHigh(a, b) == (leftLow >> 63) && Math.multiplyHigh(c, d) == (rightLow >> 63)) {
      return Long.compare(leftLow, rightLow);
    }
    BigInteger left =
        BigInteger.valueOf(cost.minor()).multiply(BigInteger.valueOf(other.per.minor()));
    BigInteger right =
        BigInteger.valueOf(other.cost.minor()).multiply(BigInteger.valueOf(per.minor()));
    return left.compareTo(right);
  }

  @Override
  public String toString() {
    return cost + " per " + per;
  }
}
