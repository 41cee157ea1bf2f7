package dev.billingsdk.money;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * An exact fraction, always in lowest terms with a positive denominator: what rating computes in,
 * so that prices such as "10 credits per hour" charged per second (10/3600 a second) lose nothing
 * until the one rounding of a posting.
 */
public final class Rational implements Comparable<Rational> {
  public static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
  public static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

  /** The longest text {@link #parse} reads. */
  static final int MAX_TEXT = 2_000;

  private final BigInteger numerator;
  private final BigInteger denominator;

  private Rational(BigInteger numerator, BigInteger denominator) {
    this.numerator = numerator;
    this.denominator = denominator;
  }

  public static Rational of(BigInteger numerator, BigInteger denominator) {
    InvalidRequestException.requireNonNull(numerator, "numerator");
    InvalidRequestException.requireNonNull(denominator, "denominator");
    if (denominator.signum() == 0) {
      throw new InvalidRequestException("denominator", denominator, "must not be zero");
    }
    if (denominator.signum() < 0) {
      numerator = numerator.negate();
      denominator = denominator.negate();
    }
    BigInteger gcd = numerator.gcd(denominator);
    if (!gcd.equals(BigInteger.ONE) && gcd.signum() != 0) {
      numerator = numerator.divide(gcd);
      denominator = denominator.divide(gcd);
    }
    if (numerator.signum() == 0) {
      return ZERO;
    }
    return new Rational(numerator, denominator);
  }

  public static Rational of(long value) {
    return of(BigInteger.valueOf(value), BigInteger.ONE);
  }

  public static Rational of(BigDecimal value) {
    InputContract.decimal(value, "value");
    if (value.scale() <= 0) {
      return of(value.toBigIntegerExact(), BigInteger.ONE);
    }
    return of(value.unscaledValue(), BigInteger.TEN.pow(value.scale()));
  }

  /** Parses the form {@link #toString()} writes: {@code n} or {@code n/d}. */
  public static Rational parse(String text) {
    InvalidRequestException.requireNonNull(text, "rational");
    if (text.length() > MAX_TEXT) {
      throw new InvalidRequestException(
          "rational", text, "must be at most " + MAX_TEXT + " characters");
    }
    try {
      int slash = text.indexOf('/');
      if (slash < 0) {
        return of(new BigInteger(text), BigInteger.ONE);
      }
      return of(
          new BigInteger(text.substring(0, slash)), new BigInteger(text.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("rational", text, "is not n or n/d");
    }
  }

  public BigInteger numerator() {
    return numerator;
  }

  public BigInteger denominator() {
    return denominator;
  }

  public int signum() {
    return numerator.signum();
  }

  public Rational plus(Rational o) {
    if (denominator.equals(o.denominator)) {
      return of(numerator.add(o.numerator), denominator);
    }
    return of(
        numerator.multiply(o.denominator).add(o.numerator.multiply(denominator)),
        denominator.multiply(o.denominator));
  }

  public Rational minus(Rational o) {
    return plus(o.negate());
  }

  public Rational negate() {
    return signum() == 0 ? this : new Rational(numerator.negate(), denominator);
  }

  public Rational times(Rational o) {
    return of(numerator.multiply(o.numerator), denominator.multiply(o.denominator));
  }

  public Rational times(BigDecimal o) {
    return times(of(o));
  }

  public Rational dividedBy(Rational o) {
    if (o.signum() == 0) {
      throw new InvalidRequestException("divisor", o, "must not be zero");
    }
    return of(numerator.multiply(o.denominator), denominator.multiply(o.numerator));
  }

  /** This value rounded to a whole number with {@code mode}; UNNECESSARY throws if not whole. */
  public BigInteger round(RoundingMode mode) {
    return new BigDecimal(numerator)
        .divide(new BigDecimal(denominator), 0, mode)
        .toBigIntegerExact();
  }

  /** The smallest whole number not below this value. */
  public BigInteger ceiling() {
    return round(RoundingMode.CEILING);
  }

  public boolean isWhole() {
    return denominator.equals(BigInteger.ONE);
  }

  public Rational max(Rational o) {
    return compareTo(o) >= 0 ? this : o;
  }

  public Rational min(Rational o) {
    return compareTo(o) <= 0 ? this : o;
  }

  @Override
  public int compareTo(Rational o) {
    return numerator.multiply(o.denominator).compareTo(o.numerator.multiply(denominator));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rational r
        && numerator.equals(r.numerator)
        && denominator.equals(r.denominator);
  }

  @Override
  public int hashCode() {
    return numerator.hashCode() * 31 + denominator.hashCode();
  }

  /** {@code n} when whole, else {@code n/d} in lowest terms. */
  @Override
  public String toString() {
    return isWhole() ? numerator.toString() : numerator + "/" + denominator;
  }
}
