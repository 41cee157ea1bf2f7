package dev.billingsdk.spi;

import dev.billingsdk.AccountId;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One line of a rating step: what a step added to one (period, dimension values) of a meter. The
 * credits of a step's lines sum to the step's posting exactly; monthly usage summaries are sums of
 * lines.
 *
 * @param cursorVersion the version the rating cursor reached with this step
 * @param lineNumber 0, 1, 2... within the step
 * @param period the calendar month (UTC) the usage occurred in
 * @param dimensions the usage's dimension values
 * @param quantity the aggregate's change in this step (for SUM and COUNT meters the usage itself;
 *     for the others the line's share of the change of the period's aggregate, so lines still sum
 *     to it)
 * @param credits this line's share of the posting, in the account's unit (negative when the step
 *     gave credit back)
 * @param posting the idempotency key of the ledger transaction that posted the step, empty when the
 *     step posted nothing
 */
public record RatedLine(
    TenantId tenant,
    AccountId account,
    String meter,
    long cursorVersion,
    int lineNumber,
    Instant windowStart,
    Instant windowEnd,
    YearMonth period,
    Map<String, String> dimensions,
    BigDecimal quantity,
    Amount credits,
    Optional<String> posting) {

  public RatedLine {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    Identifiers.check(meter, "meter");
    InvalidRequestException.requireNonNull(windowStart, "windowStart");
    InvalidRequestException.requireNonNull(windowEnd, "windowEnd");
    InvalidRequestException.requireNonNull(period, "period");
    InvalidRequestException.requireNonNull(dimensions, "dimensions");
    InvalidRequestException.requireNonNull(quantity, "quantity");
    InvalidRequestException.requireNonNull(credits, "credits");
    InvalidRequestException.requireNonNull(posting, "posting");
    dimensions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dimensions));
  }

  /**
   * The canonical text of dimension values, for grouping and equality in stores: {@code k=v} pairs
   * in key order, joined by {@code ';'}, with {@code '\\'}, {@code '='} and {@code ';'} escaped by
   * a backslash. The empty map is the empty string.
   */
  public static String dimensionKey(Map<String, String> dimensions) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(dimensions).entrySet()) {
      if (b.length() > 0) {
        b.append(';');
      }
      escape(b, e.getKey());
      b.append('=');
      escape(b, e.getValue());
    }
    return b.toString();
  }

  /**
   * The dimension values whose {@link #dimensionKey} is {@code key}: its inverse, so a store that
   * groups by the key can give the values back without storing or reading them twice.
   *
   * @throws IllegalArgumentException if {@code key} is not a dimension key (a pair without an
   *     unescaped {@code '='}, a second unescaped {@code '='} in a pair, a trailing backslash, or a
   *     name given twice)
   */
  public static Map<String, String> dimensionsOf(String key) {
    TreeMap<String, String> values = new TreeMap<>();
    if (key.isEmpty()) {
      return java.util.Collections.unmodifiableSortedMap(values);
    }
    StringBuilder part = new StringBuilder();
    String name = null;
    for (int i = 0; i <= key.length(); i++) {
      char c = i == key.length() ? ';' : key.charAt(i);
      if (c == '\\') {
        if (++i == key.length()) {
          throw new IllegalArgumentException("a dimension key ends in a lone backslash: " + key);
        }
        part.append(key.charAt(i));
      } else if (c == '=') {
        if (name != null) {
          throw new IllegalArgumentException("a dimension key pair has two '=': " + key);
        }
        name = part.toString();
        part.setLength(0);
      } else if (c == ';') {
        if (name == null) {
          throw new IllegalArgumentException("a dimension key pair has no '=': " + key);
        }
        if (values.put(name, part.toString()) != null) {
          throw new IllegalArgumentException("a dimension key names " + name + " twice: " + key);
        }
        name = null;
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    return java.util.Collections.unmodifiableSortedMap(values);
  }

  private static void escape(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == '=' || c == ';') {
        b.append('\\');
      }
      b.append(c);
    }
  }
}
