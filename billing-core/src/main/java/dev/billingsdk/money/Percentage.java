package dev.billingsdk.money;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.math.BigDecimal;

/**
 * A share from 0 % to 100 % inclusive, with at most four decimal places ({@code 12.5} is 12.5 %).
 * Held exactly: {@code 12.50} and {@code 12.5} are equal, and applying it to an amount never rounds
 * silently (the caller names the rounding).
 */
public record Percentage(BigDecimal value) implements Comparable<Percentage> {

  /** The most decimal places a percentage may have. */
  public static final int MAX_SCALE = 4;

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  public static final Percentage ZERO = new Percentage(BigDecimal.ZERO);

  public Percentage {
    InputContract.decimal(value, "percentage");
    BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    if (stripped.signum() < 0 || stripped.compareTo(HUNDRED) > 0) {
      throw new InvalidRequestException("percentage", value, "must be between 0 and 100");
    }
    if (stripped.scale() > MAX_SCALE) {
      throw new InvalidRequestException(
          "percentage", value, "must have at most " + MAX_SCALE + " decimal places");
    }
    value = stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  public static Percentage of(String value) {
    return new Percentage(InputContract.decimal(value, "percentage"));
  }

  public static Percentage of(long whole) {
    return new Percentage(BigDecimal.valueOf(whole));
  }

  /** This share as a fraction of one ({@code 12.5} gives {@code 0.125}), exactly. */
  public BigDecimal fraction() {
    return value.movePointLeft(2);
  }

  @Override
  public int compareTo(Percentage other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value.toPlainString() + " %";
  }
}
