package dev.billingsdk.statement;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An account's statement for a UTC calendar month. The construction checks the statement chain's
 * own rule: {@code closing = opening + credits - charges + reversals - expiries - voids - refunds},
 * that is the opening plus every line's {@link StatementLine#effect()}.
 *
 * @param status {@code OPEN} while the month may still change, {@code CLOSED} once stored
 * @param window the ledger transactions it holds (see {@link StatementWindow})
 * @param lines sorted by section, late month, key
 * @param usage the rated usage behind the usage lines, by meter, dimension values, month and hour
 * @param runningMeters the running-time meters among the usage, with the dimension naming their
 *     instances
 * @param transactions how many ledger transactions the statement holds (holds and releases, which
 *     move no balance, included)
 * @param closedAt when the close job stored it
 */
public record Statement(
    TenantId tenant,
    AccountId account,
    YearMonth month,
    Status status,
    Unit unit,
    Amount opening,
    Amount closing,
    List<StatementLine> lines,
    List<UsageCell> usage,
    Map<String, String> runningMeters,
    StatementWindow window,
    long transactions,
    Optional<Instant> closedAt) {

  /** Whether the month may still change. */
  public enum Status {
    OPEN,
    CLOSED
  }

  public Statement {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(status, "status");
    InvalidRequestException.requireNonNull(unit, "unit");
    InvalidRequestException.requireNonNull(opening, "opening");
    InvalidRequestException.requireNonNull(closing, "closing");
    InvalidRequestException.requireNonNull(window, "window");
    InvalidRequestException.requireNonNull(closedAt, "closedAt");
    if ((status == Status.CLOSED) != closedAt.isPresent()) {
      throw new InvalidRequestException("closedAt", closedAt, "is set exactly when closed");
    }
    lines = List.copyOf(lines);
    usage = List.copyOf(usage);
    runningMeters = Map.copyOf(runningMeters);
    Amount sum = opening;
    for (StatementLine line : lines) {
      sum = sum.plus(line.effect());
    }
    if (!sum.equals(closing)) {
      throw new InvalidRequestException(
          "closing", closing, "must be the opening plus every line's effect, " + sum);
    }
  }

  /** The sum of the lines of a section (zero when there are none). */
  public Amount total(StatementLine.Section section) {
    return sum(l -> l.section() == section);
  }

  /** Credits received. */
  public Amount credits() {
    return total(StatementLine.Section.CREDIT);
  }

  /** Charges: usage, fixed fees, licence fees and add-ons. */
  public Amount charges() {
    return sum(l -> l.section().isCharge());
  }

  /** Credit given back by reversals. */
  public Amount reversals() {
    return total(StatementLine.Section.REVERSAL);
  }

  /** Credit that expired, was voided, was taken back by a refund, or was deducted. */
  public Amount expiriesAndVoids() {
    return sum(
        l ->
            l.section() == StatementLine.Section.EXPIRY
                || l.section() == StatementLine.Section.VOID
                || l.section() == StatementLine.Section.REFUND
                || l.section() == StatementLine.Section.DEDUCTION);
  }

  /** The lines of the given section. */
  public List<StatementLine> lines(StatementLine.Section section) {
    return lines.stream().filter(l -> l.section() == section).toList();
  }

  /** Lines of transactions that belong to an earlier, closed month (late usage, corrections). */
  public List<StatementLine> lateLines() {
    return lines.stream().filter(l -> l.lateFor().isPresent()).toList();
  }

  /**
   * The usage by meter and dimension values and usage month, each a sum of cells; for running-time
   * meters one machine-usage detail row per instance. Sorted by meter, month, dimension values.
   */
  public List<UsageRow> usageRows() {
    Map<String, List<UsageCell>> groups = new TreeMap<>();
    for (UsageCell c : usage) {
      groups
          .computeIfAbsent(
              c.meter() + '\u0000' + c.period() + '\u0000' + c.dimensions(), k -> new ArrayList<>())
          .add(c);
    }
    List<UsageRow> rows = new ArrayList<>(groups.size());
    for (List<UsageCell> cells : groups.values()) {
      UsageCell first = cells.get(0);
      BigDecimal quantity = BigDecimal.ZERO;
      Amount credits = Amount.zero(unit);
      Instant start = first.firstWindowStart();
      for (UsageCell c : cells) {
        quantity = quantity.add(c.quantity());
        credits = credits.plus(c.credits());
        start = c.firstWindowStart().isBefore(start) ? c.firstWindowStart() : start;
      }
      String key = runningMeters.get(first.meter());
      rows.add(
          new UsageRow(
              first.meter(),
              first.dimensions(),
              first.period(),
              key == null ? Optional.empty() : Optional.ofNullable(first.dimensions().get(key)),
              start,
              quantity,
              credits));
    }
    return rows;
  }

  /**
   * Usage of an earlier month posted in this one: it was reported after that month's statement was
   * closed, so it is charged here and names its own month.
   */
  public List<UsageRow> lateUsage() {
    return usageRows().stream().filter(r -> !r.period().equals(month)).toList();
  }

  /** The machine-usage detail rows: the usage rows of running-time meters. */
  public List<UsageRow> runningUsage() {
    return usageRows().stream().filter(r -> r.instance().isPresent()).toList();
  }

  /**
   * The usage cost by the values of one dimension (pool, machine type, region, model...), largest
   * first; usage without the dimension is under {@code ""}.
   */
  public Map<String, Amount> costBy(String dimension) {
    InvalidRequestException.requireNonNull(dimension, "dimension");
    Map<String, Amount> by = new HashMap<>();
    for (UsageCell c : usage) {
      by.merge(c.dimensions().getOrDefault(dimension, ""), c.credits(), Amount::plus);
    }
    return sortedByAmount(by);
  }

  /** The usage cost by meter, largest first. */
  public Map<String, Amount> costByMeter() {
    Map<String, Amount> by = new HashMap<>();
    for (UsageCell c : usage) {
      by.merge(c.meter(), c.credits(), Amount::plus);
    }
    return sortedByAmount(by);
  }

  /**
   * The hourly series: for each hour with usage, the cost and the number of running instances; with
   * a dimension, one point per hour and value of that dimension. Sorted by hour, then group.
   */
  public List<HourlyPoint> hourly(Optional<String> dimension) {
    InvalidRequestException.requireNonNull(dimension, "dimension");
    Map<Instant, Map<String, Amount>> cost = new TreeMap<>();
    Map<Instant, Map<String, Set<String>>> instances = new HashMap<>();
    for (UsageCell c : usage) {
      String group = dimension.map(d -> c.dimensions().getOrDefault(d, "")).orElse("");
      cost.computeIfAbsent(c.hour(), h -> new TreeMap<>()).merge(group, c.credits(), Amount::plus);
      String key = runningMeters.get(c.meter());
      if (key != null && c.quantity().signum() > 0) {
        instances
            .computeIfAbsent(c.hour(), h -> new HashMap<>())
            .computeIfAbsent(group, g -> new HashSet<>())
            .add(c.meter() + '\u0000' + c.dimensions().getOrDefault(key, ""));
      }
    }
    List<HourlyPoint> points = new ArrayList<>();
    cost.forEach(
        (hour, groups) ->
            groups.forEach(
                (group, amount) ->
                    points.add(
                        new HourlyPoint(
                            hour,
                            group,
                            amount,
                            instances
                                .getOrDefault(hour, Map.of())
                                .getOrDefault(group, Set.of())
                                .size()))));
    return points;
  }

  private Amount sum(Predicate<StatementLine> which) {
    Amount sum = Amount.zero(unit);
    for (StatementLine l : lines) {
      if (which.test(l)) {
        sum = sum.plus(l.amount());
      }
    }
    return sum;
  }

  private static Map<String, Amount> sortedByAmount(Map<String, Amount> by) {
    Map<String, Amount> sorted = new LinkedHashMap<>();
    by.entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<String, Amount> e) -> e.getValue().minor())
                .reversed()
                .thenComparing(Map.Entry::getKey))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }
}
