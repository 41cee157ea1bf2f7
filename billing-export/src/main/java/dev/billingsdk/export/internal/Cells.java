package dev.billingsdk.export.internal;

import dev.billingsdk.money.Amount;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How every export writes a value: amounts and quantities as exact plain decimals (never
 * scientific), times as ISO 8601 UTC with seconds (and a fraction only when there is one), months
 * as {@code yyyy-MM}. One place, so CSV, JSON and HTML agree to the character.
 */
public final class Cells {
  private Cells() {}

  /** The amount in whole units, exact: {@code -5.00}, {@code 12.3400}. */
  public static String decimal(Amount amount) {
    return amount.toDecimal().toPlainString();
  }

  /** An exact decimal, plain: {@code 1800}, {@code 0.5}. */
  public static String decimal(BigDecimal value) {
    return value.toPlainString();
  }

  /** ISO 8601 in UTC, e.g. {@code 2026-10-03T10:00:00Z}. */
  public static String time(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(
        instant.getNano() == 0 ? instant.truncatedTo(ChronoUnit.SECONDS) : instant);
  }

  /** {@code 2026-10}. */
  public static String month(YearMonth month) {
    return month.toString();
  }

  /** The optional month, or empty text. */
  public static String month(Optional<YearMonth> month) {
    return month.map(Cells::month).orElse("");
  }

  /** The dimensions sorted by name (a statement's usage rows keep them in no order). */
  public static Map<String, String> sorted(Map<String, String> dimensions) {
    return new TreeMap<>(dimensions);
  }
}
