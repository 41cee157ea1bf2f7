package dev.billingsdk.statement;

import dev.billingsdk.money.Amount;
import java.math.BigDecimal;
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

  /** For a running-time meter (quantity in seconds), how long the instance ran. */
  public Duration duration() {
    return Duration.ofSeconds(quantity.longValue());
  }
}
