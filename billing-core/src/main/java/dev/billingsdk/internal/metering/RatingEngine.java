package dev.billingsdk.internal.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.RatingOverflowException;
import dev.billingsdk.metering.UnpricedUsageException;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Rational;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.StoredUsageEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rates one step of one (account, meter): folds the step's usage into the period aggregates of
 * {@link RatingState}, prices each change as the change of its period's cost, and rounds the
 * lifetime exact cost once, carrying the remainder. Because every price model is a function of the
 * period's aggregate and the rounding is of a running total, rating a span in one step or in many
 * gives the same postings in total (ledger rule 6). Pure: no store, no clock.
 */
final class RatingEngine {
  /** Usage events in the order rating folds them: by time, then ingest sequence. */
  static final Comparator<StoredUsageEvent> ORDER =
      Comparator.comparing((StoredUsageEvent e) -> e.event().occurredAt())
          .thenComparingLong(StoredUsageEvent::sequence);

  private final TenantId tenant;
  private final AccountId account;
  private final Meter meter;
  private final MeterPrice price;
  private final RoundingMode rounding;
  private final Unit unit;
  private final Rational toMinor;
  private final RatingState state;
  private final TreeMap<String, LineSum> lines = new TreeMap<>();
  private int events;

  /** A line being summed: quantity and exact cost of one (period, dimension values). */
  private static final class LineSum {
    final YearMonth period;
    final Map<String, String> dimensions;
    BigDecimal quantity = BigDecimal.ZERO;
    Rational cost = Rational.ZERO;

    LineSum(YearMonth period, Map<String, String> dimensions) {
      this.period = period;
      this.dimensions = dimensions;
    }
  }

  /** What a step comes to. {@code amount} is what to post; the lines' credits sum to it. */
  record Step(long amount, List<RatingState.Line> lines, int events) {}

  RatingEngine(
      TenantId tenant,
      AccountId account,
      Meter meter,
      MeterPrice price,
      Unit unit,
      RoundingMode rounding,
      RatingState state) {
    this.tenant = tenant;
    this.account = account;
    this.meter = meter;
    this.price = price;
    this.rounding = rounding;
    this.unit = unit;
    this.toMinor = Rational.of(new BigDecimal(BigInteger.TEN.pow(unit.scale())));
    this.state = state;
  }

  /**
   * Rates late usage (already sorted) and then the window's usage (sorted), bills running instances
   * up to {@code windowEnd}, and rounds.
   */
  Step rate(List<StoredUsageEvent> late, List<StoredUsageEvent> window, Instant windowEnd) {
    for (StoredUsageEvent e : late) {
      fold(e);
    }
    for (StoredUsageEvent e : window) {
      fold(e);
    }
    if (meter.aggregation() == Aggregation.RUNNING_TIME) {
      billRunning(windowEnd);
      for (RatingState.Instance i : state.instances.values()) {
        if (i.level.signum() == 0) {
          continue;
        }
        if (stoppedBy(i, windowEnd)) {
          // Stopped by the heartbeat timeout: billing ended at the last event plus the timeout.
          i.billedUntil = i.lastSeen.plus(meter.heartbeatTimeout().get());
          i.level = BigDecimal.ZERO;
        }
      }
    }
    return round();
  }

  private void fold(StoredUsageEvent stored) {
    events++;
    UsageEvent e = stored.event();
    if (meter.aggregation() == Aggregation.RUNNING_TIME) {
      foldRunning(e);
      return;
    }
    YearMonth period = periodOf(e.occurredAt());
    int ruleIndex = ruleFor(e.dimensions());
    RatingState.Rule rule = rule(period, ruleIndex);
    BigDecimal before = rule.aggregate;
    BigDecimal after =
        switch (meter.aggregation()) {
          case SUM -> before.add(e.quantity());
          case COUNT -> before.add(BigDecimal.ONE);
          case MAX -> before.max(e.quantity());
          case UNIQUE_COUNT ->
              rule.values.add(e.dimensions().get(meter.keyDimension().orElseThrow()))
                  ? before.add(BigDecimal.ONE)
                  : before;
          case LATEST -> {
            boolean later =
                rule.latestAt == null
                    || e.occurredAt().isAfter(rule.latestAt)
                    || (e.occurredAt().equals(rule.latestAt)
                        && stored.sequence() > rule.latestSequence);
            if (later) {
              rule.latestAt = e.occurredAt();
              rule.latestSequence = stored.sequence();
              yield e.quantity();
            }
            yield before;
          }
          case RUNNING_TIME -> throw new IllegalStateException("handled above");
        };
    change(period, ruleIndex, rule, after, e.dimensions());
  }

  /** Moves a rule's aggregate to {@code after}, drawing the allowance first, and prices it. */
  private void change(
      YearMonth period,
      int ruleIndex,
      RatingState.Rule rule,
      BigDecimal after,
      Map<String, String> dimensions) {
    RatingState.Period p = period(period);
    BigDecimal delta = after.subtract(rule.aggregate);
    if (delta.signum() > 0 && price.includedPerPeriod().signum() > 0) {
      BigDecimal left = price.includedPerPeriod().subtract(p.allowanceUsed).max(BigDecimal.ZERO);
      BigDecimal draw = left.min(delta);
      rule.drawn = rule.drawn.add(draw);
      p.allowanceUsed = p.allowanceUsed.add(draw);
    }
    rule.aggregate = after;
    BigDecimal priced = after.subtract(rule.drawn).max(BigDecimal.ZERO);
    Rational cost = price.rules().get(ruleIndex).model().cost(priced).times(toMinor);
    Rational costDelta = cost.minus(rule.cost);
    rule.cost = cost;
    LineSum line =
        lines.computeIfAbsent(
            period + "|" + RatedLine.dimensionKey(dimensions),
            k -> new LineSum(period, Map.copyOf(dimensions)));
    line.quantity = line.quantity.add(delta);
    line.cost = line.cost.plus(costDelta);
  }

  // ---------------------------------------------------------------- running time

  private void foldRunning(UsageEvent e) {
    if (price.includedPerPeriod().signum() > 0) {
      // The allowance is drawn in time order: every instance's time before this event first.
      billRunning(e.occurredAt());
    }
    String id = e.dimensions().get(meter.keyDimension().orElseThrow());
    RatingState.Instance i = state.instances.get(id);
    if (i == null) {
      i = new RatingState.Instance(e.occurredAt(), e.occurredAt());
      state.instances.put(id, i);
    } else if (e.occurredAt().isBefore(i.lastSeen)) {
      // A late event older than the instance's newest one: that newer event set the level from its
      // time on, so this one changes nothing (and never starts a stopped instance again).
      return;
    }
    // A late event takes effect from where billing had got to: time already billed stays billed.
    Instant effective = e.occurredAt().isAfter(i.billedUntil) ? e.occurredAt() : i.billedUntil;
    bill(i, effective);
    i.level = e.quantity();
    i.lastSeen = e.occurredAt();
    i.dimensions = Map.copyOf(e.dimensions());
    // A stopped instance (level 0) stays, billed until its stop, so that a late event from before
    // the stop is recognised as older; prune forgets it once no late event can reach it.
  }

  /**
   * Bills every running instance up to {@code until}, together. While the period's allowance would
   * run out before {@code until}, they are billed minute by minute, in instance order within each
   * minute, so the allowance is shared between rules by time, the same however the usage is cut
   * into windows: every window boundary is a whole minute (ledger rule 6). Billed in one piece,
   * instance after instance, the first instance would take the whole allowance of a window.
   */
  private void billRunning(Instant until) {
    Instant from = until;
    for (RatingState.Instance i : state.instances.values()) {
      if (i.level.signum() > 0 && i.billedUntil.isBefore(from)) {
        from = i.billedUntil;
      }
    }
    while (from.isBefore(until)) {
      Instant step = until;
      Instant periodEnd = periodEnd(periodOf(from));
      if (periodEnd.isBefore(step)) {
        step = periodEnd;
      }
      if (allowanceRunsOut(from, step)) {
        Instant minute = from.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        if (minute.isBefore(step)) {
          step = minute;
        }
      }
      for (RatingState.Instance i : state.instances.values()) {
        if (i.level.signum() > 0) {
          bill(i, step);
        }
      }
      from = step;
    }
  }

  /**
   * True when billing every running instance from {@code from} to {@code to} (one period) would use
   * up the allowance left: then the order in which time is billed decides which rule draws it.
   */
  private boolean allowanceRunsOut(Instant from, Instant to) {
    BigDecimal included = price.includedPerPeriod();
    if (included.signum() == 0) {
      return false;
    }
    RatingState.Period p = state.periods.get(periodOf(from));
    BigDecimal left = p == null ? included : included.subtract(p.allowanceUsed);
    if (left.signum() <= 0) {
      return false;
    }
    BigDecimal need = BigDecimal.ZERO;
    for (RatingState.Instance i : state.instances.values()) {
      if (i.level.signum() <= 0) {
        continue;
      }
      Instant start = i.billedUntil.isAfter(from) ? i.billedUntil : from;
      Instant end = to;
      if (meter.heartbeatTimeout().isPresent()) {
        Instant stop = i.lastSeen.plus(meter.heartbeatTimeout().get());
        if (stop.isBefore(end)) {
          end = stop;
        }
      }
      long seconds = end.getEpochSecond() - start.getEpochSecond();
      if (seconds > 0) {
        need = need.add(i.level.multiply(BigDecimal.valueOf(seconds)));
      }
    }
    return need.compareTo(left) > 0;
  }

  /** Bills an instance at its level from where it was billed to {@code until}. */
  private void bill(RatingState.Instance i, Instant until) {
    Instant end = until;
    if (meter.heartbeatTimeout().isPresent()) {
      Instant stop = i.lastSeen.plus(meter.heartbeatTimeout().get());
      if (stop.isBefore(end)) {
        end = stop;
      }
    }
    Instant from = i.billedUntil;
    if (i.level.signum() > 0 && end.isAfter(from)) {
      int ruleIndex = ruleFor(i.dimensions);
      while (from.isBefore(end)) {
        YearMonth period = periodOf(from);
        Instant periodEnd = periodEnd(period);
        Instant partEnd = periodEnd.isBefore(end) ? periodEnd : end;
        long seconds = partEnd.getEpochSecond() - from.getEpochSecond();
        if (seconds > 0) {
          RatingState.Rule rule = rule(period, ruleIndex);
          BigDecimal after = rule.aggregate.add(i.level.multiply(BigDecimal.valueOf(seconds)));
          change(period, ruleIndex, rule, after, i.dimensions);
        }
        from = partEnd;
      }
    }
    if (until.isAfter(i.billedUntil)) {
      i.billedUntil = until;
    }
  }

  private boolean stoppedBy(RatingState.Instance i, Instant at) {
    return meter.heartbeatTimeout().isPresent()
        && !i.lastSeen.plus(meter.heartbeatTimeout().get()).isAfter(at);
  }

  // ---------------------------------------------------------------- rounding

  /**
   * Rounds the lifetime exact cost and posts the change since the last step, line by line.
   *
   * @throws RatingOverflowException if the step, or one of its lines, comes to more minor units
   *     than a long holds; nothing of the step is decided (the caller drops the state it rated
   *     into)
   */
  private Step round() {
    BigInteger postedBefore = state.posted;
    List<RatingState.Line> out = new ArrayList<>(lines.size());
    Rational running = state.exact;
    BigInteger roundedRunning = postedBefore;
    for (LineSum l : lines.values()) {
      running = running.plus(l.cost);
      BigInteger rounded = running.round(rounding);
      out.add(
          new RatingState.Line(
              l.period, l.dimensions, l.quantity, fitting(rounded.subtract(roundedRunning))));
      roundedRunning = rounded;
    }
    long amount = fitting(roundedRunning.subtract(postedBefore));
    state.exact = running;
    state.posted = roundedRunning;
    return new Step(amount, List.copyOf(out), events);
  }

  /**
   * {@code minor} as a long, or the typed overflow naming the meter and the step's quantity. Long's
   * minimum is refused too: a credit back of it could not be negated into a grant.
   */
  private long fitting(BigInteger minor) {
    if (minor.abs().bitLength() >= Long.SIZE) {
      BigDecimal quantity = BigDecimal.ZERO;
      for (LineSum l : lines.values()) {
        quantity = quantity.add(l.quantity);
      }
      throw new RatingOverflowException(tenant, account, meter.key(), quantity, unit);
    }
    return minor.longValue();
  }

  // ---------------------------------------------------------------- helpers

  private RatingState.Rule rule(YearMonth period, int ruleIndex) {
    return period(period).rules.computeIfAbsent(ruleIndex, r -> new RatingState.Rule());
  }

  private RatingState.Period period(YearMonth period) {
    return state.periods.computeIfAbsent(period, p -> new RatingState.Period());
  }

  private int ruleFor(Map<String, String> dimensions) {
    return price
        .ruleFor(dimensions)
        .orElseThrow(() -> new UnpricedUsageException(tenant, account, meter.key(), dimensions));
  }

  static YearMonth periodOf(Instant at) {
    return YearMonth.from(at.atOffset(ZoneOffset.UTC));
  }

  /**
   * Forgets periods that ended before {@code horizon}, and instances that stopped before it: no
   * late event can reach them any more.
   */
  static void prune(RatingState state, Instant horizon) {
    state
        .instances
        .values()
        .removeIf(i -> i.level.signum() == 0 && i.billedUntil.isBefore(horizon));
    state
        .periods
        .headMap(periodOf(horizon), false)
        .entrySet()
        .removeIf(e -> periodEnd(e.getKey()).isBefore(horizon));
  }

  /** The first instant after {@code period} (UTC). */
  static Instant periodEnd(YearMonth period) {
    return period.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }
}
