package dev.billingsdk.statement;

import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;

/**
 * A statement's usage of one meter and set of dimension values in one usage month: the sum of its
 * {@link UsageCell}s. For a running-time meter it is one machine-usage detail row: the instance
 * (the meter's key dimension), when it first ran in the month, how long it ran and what it cost.
 *
 * @param instance for a running-time meter, the value of its key dimension
 * @param start the earliest rating window that counted this usage
 */
public record UsageRow(
    String meter,
    Map<String, String> dimensions,
    YearMonth period,
    Optional<String> instance,
    Instant start,
    BigDecimal quantity,
    Amount credits) {

  public UsageRow {
    dimensions = Map.copyOf(dimensions);
  }

  /**
   * For a running-time meter (quantity in seconds), how long the instance ran, in whole seconds.
   *
   * @throws AmountOverflowException if the quantity is 2^63 seconds or more (a month of an instance
   *     at a level of 3.6 * 10^12), which a {@link Duration} cannot hold; never wrapped around
   */
  public Duration duration() {
    BigInteger seconds = quantity.toBigInteger(); // whole seconds, as before
    if (seconds.bitLength() >= Long.SIZE) {
      throw new AmountOverflowException(
          "the duration of "
              + quantity.toPlainString()
              + " seconds of meter "
              + meter
              + " in "
              + period);
    }
    return Duration.ofSeconds(seconds.longValue());
  }
}
