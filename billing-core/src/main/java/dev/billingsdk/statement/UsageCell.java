package dev.billingsdk.statement;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rated usage a statement's usage postings carried, for one meter, set of dimension values,
 * usage month and hour: the sum of the rated lines (see {@code spi.RatedLine}) of the month's usage
 * postings whose rating window starts in that hour. Summed over every cell of a meter, the credits
 * equal the statement's {@link StatementLine.Section#USAGE} line for the meter.
 *
 * @param period the month the usage occurred in (UTC); earlier than the statement's month for late
 *     usage
 * @param hour the start of the UTC hour the rating windows started in
 * @param quantity in the meter's unit (seconds for a running-time meter)
 * @param firstWindowStart the earliest rating window of the cell
 */
public record UsageCell(
    String meter,
    Map<String, String> dimensions,
    YearMonth period,
    Instant hour,
    BigDecimal quantity,
    Amount credits,
    Instant firstWindowStart) {

  public UsageCell {
    Identifiers.check(meter, "meter");
    InvalidRequestException.requireNonNull(dimensions, "dimensions");
    dimensions.forEach(
        (k, v) -> {
          InvalidRequestException.requireNonNull(k, "dimensions");
          InvalidRequestException.requireNonNull(v, "dimensions." + k);
        });
    InvalidRequestException.requireNonNull(period, "period");
    InvalidRequestException.requireNonNull(hour, "hour");
    if (!hour.truncatedTo(ChronoUnit.HOURS).equals(hour)) {
      throw new InvalidRequestException("hour", hour, "must be the start of an hour");
    }
    InputContract.decimal(quantity, "quantity");
    InvalidRequestException.requireNonNull(credits, "credits");
    InvalidRequestException.requireNonNull(firstWindowStart, "firstWindowStart");
    dimensions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dimensions));
    quantity = quantity.signum() == 0 ? BigDecimal.ZERO : quantity.stripTrailingZeros();
    if (quantity.scale() < 0) {
      quantity = quantity.setScale(0);
    }
  }
}
