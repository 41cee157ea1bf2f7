package dev.billingsdk.memory;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.IngestRules;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The metering tables of {@link InMemoryBillingStore}. One lock guards them all: ingest claims ids,
 * draws sequences and raises cursors under it, and a cursor's compare-and-set takes it too, so
 * every call is atomic.
 */
final class InMemoryMetering implements MeteringStore {
  private static final Comparator<RatingCursor.Key> KEY_ORDER =
      Comparator.comparing((RatingCursor.Key k) -> k.tenant().value())
          .thenComparing(k -> k.account().value())
          .thenComparing(RatingCursor.Key::meter);

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<TenantId, TreeMap<String, Meter>> meters = new HashMap<>();
  private final Map<TenantId, Map<String, StoredUsageEvent>> events = new HashMap<>();
  private final TreeMap<RatingCursor.Key, RatingCursor> cursors = new TreeMap<>(KEY_ORDER);
  // Per triple: sequence -> event, for the late and window reads.
  private final Map<RatingCursor.Key, SequencedEvents> bySequence = new HashMap<>();
  private final Map<RatingCursor.Key, NavigableMap<Long, List<RatedLine>>> lines = new HashMap<>();

  @Override
  public Meter insertMeterIfAbsent(Meter meter) {
    lock.lock();
    try {
      return meters
          .computeIfAbsent(meter.tenant(), t -> new TreeMap<>())
          .merge(meter.key(), meter, (existing, ignored) -> existing);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Meter> findMeter(TenantId tenant, String key) {
    lock.lock();
    try {
      return Optional.ofNullable(meters.getOrDefault(tenant, new TreeMap<>()).get(key));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Meter> meters(TenantId tenant) {
    lock.lock();
    try {
      return List.copyOf(meters.getOrDefault(tenant, new TreeMap<>()).values());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<IngestOutcome> ingest(List<StoredUsageEvent> batch) {
    lock.lock();
    try {
      // Decide every outcome first, so that a conflict anywhere writes nothing.
      List<IngestOutcome> decided =
          IngestRules.decide(batch, (tenant, id) -> events.getOrDefault(tenant, Map.of()).get(id));
      if (IngestRules.refused(decided)) {
        return decided;
      }
      Map<RatingCursor.Key, Raised> raised = new HashMap<>();
      List<IngestOutcome> result = IngestRules.stored(decided, (position, e) -> store(e, raised));
      // Each cursor the batch touched, raised once to its last sequence (under the same lock, so
      // no reader sees the difference from raising it per event).
      for (Map.Entry<RatingCursor.Key, Raised> r : raised.entrySet()) {
        RatingCursor cursor = r.getValue().cursor;
        cursors.put(
            r.getKey(),
            new RatingCursor(
                cursor.tenant(),
                cursor.account(),
                cursor.meter(),
                cursor.version(),
                cursor.ratedUntil(),
                cursor.ratedSequence(),
                r.getValue().sequence,
                cursor.state()));
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  /** A cursor an ingest call raises: as it was (or as created) and the last sequence drawn. */
  private static final class Raised {
    final RatingCursor cursor;
    final SequencedEvents bySequence;
    long sequence;

    Raised(RatingCursor cursor, SequencedEvents bySequence) {
      this.cursor = cursor;
      this.bySequence = bySequence;
      this.sequence = cursor.ingestedSequence();
    }
  }

  /**
   * Stores one new event with the next sequence of its (tenant, account, meter); the cursor itself
   * is raised at the end of the ingest call, once per triple.
   */
  private StoredUsageEvent store(StoredUsageEvent e, Map<RatingCursor.Key, Raised> raised) {
    UsageEvent u = e.event();
    RatingCursor.Key key = new RatingCursor.Key(u.tenant(), u.account(), u.meter());
    Raised r = raised.get(key);
    if (r == null) {
      RatingCursor cursor = cursors.get(key);
      if (cursor == null) {
        cursor = RatingCursor.created(u.tenant(), u.account(), u.meter(), u.occurredAt());
      }
      r = new Raised(cursor, bySequence.computeIfAbsent(key, k -> new SequencedEvents()));
      raised.put(key, r);
    }
    long seq = ++r.sequence;
    StoredUsageEvent s = e.withSequence(seq);
    events.computeIfAbsent(u.tenant(), t -> new HashMap<>()).put(u.id(), s);
    r.bySequence.add(s);
    return s;
  }

  @Override
  public Optional<StoredUsageEvent> findUsageEvent(TenantId tenant, String id) {
    lock.lock();
    try {
      return Optional.ofNullable(events.getOrDefault(tenant, Map.of()).get(id));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<RatingCursor> findRatingCursor(TenantId tenant, AccountId account, String meter) {
    lock.lock();
    try {
      return Optional.ofNullable(cursors.get(new RatingCursor.Key(tenant, account, meter)));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<RatingCursor> ratingCursors(Optional<RatingCursor.Key> after, int limit) {
    lock.lock();
    try {
      var view = after.isPresent() ? cursors.tailMap(after.get(), false) : cursors;
      return view.values().stream().limit(limit).toList();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<StoredUsageEvent> lateUsage(
      TenantId tenant,
      AccountId account,
      String meter,
      long afterSequence,
      long upToSequence,
      Instant occurredBefore,
      int limit) {
    lock.lock();
    try {
      if (upToSequence <= afterSequence) {
        return List.of();
      }
      return bySequence
          .getOrDefault(new RatingCursor.Key(tenant, account, meter), SequencedEvents.EMPTY)
          .range(afterSequence, upToSequence)
          .stream()
          .filter(e -> e.event().occurredAt().isBefore(occurredBefore))
          .limit(limit)
          .toList();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<StoredUsageEvent> windowUsage(
      TenantId tenant,
      AccountId account,
      String meter,
      Instant from,
      Instant to,
      long upToSequence,
      Optional<UsagePosition> after,
      int limit) {
    lock.lock();
    try {
      Comparator<StoredUsageEvent> order =
          Comparator.comparing((StoredUsageEvent e) -> e.event().occurredAt())
              .thenComparingLong(StoredUsageEvent::sequence);
      return bySequence
          .getOrDefault(new RatingCursor.Key(tenant, account, meter), SequencedEvents.EMPTY)
          .upTo(upToSequence)
          .stream()
          .filter(
              e -> !e.event().occurredAt().isBefore(from) && e.event().occurredAt().isBefore(to))
          .filter(
              e ->
                  after.isEmpty()
                      || e.event().occurredAt().isAfter(after.get().occurredAt())
                      || (e.event().occurredAt().equals(after.get().occurredAt())
                          && e.sequence() > after.get().sequence()))
          .sorted(order)
          .limit(limit)
          .toList();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean advanceRatingCursor(RatingCursor next, List<RatedLine> stepLines) {
    lock.lock();
    try {
      RatingCursor.Key key = next.key();
      RatingCursor current = cursors.get(key);
      if (current == null || current.version() != next.version() - 1) {
        return false;
      }
      cursors.put(
          key,
          new RatingCursor(
              next.tenant(),
              next.account(),
              next.meter(),
              next.version(),
              next.ratedUntil(),
              next.ratedSequence(),
              current.ingestedSequence(),
              next.state()));
      if (!stepLines.isEmpty()) {
        lines
            .computeIfAbsent(key, k -> new TreeMap<>())
            .put(
                next.version(),
                stepLines.stream().sorted(Comparator.comparingInt(RatedLine::lineNumber)).toList());
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Every rated line of the account, of every meter (for {@link InMemoryStatementStore}). */
  List<RatedLine> ratedLinesOf(TenantId tenant, AccountId account) {
    lock.lock();
    try {
      List<RatedLine> all = new java.util.ArrayList<>();
      lines.forEach(
          (key, byVersion) -> {
            if (key.tenant().equals(tenant) && key.account().equals(account)) {
              byVersion.values().forEach(all::addAll);
            }
          });
      return all;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<RatedLine> ratedLines(
      TenantId tenant, AccountId account, String meter, long cursorVersion) {
    lock.lock();
    try {
      return lines
          .getOrDefault(new RatingCursor.Key(tenant, account, meter), new TreeMap<>())
          .getOrDefault(cursorVersion, List.of());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<UsageSummaryRow> usageSummary(UsageSummaryQuery q) {
    record Group(AccountId account, int year, int month, String meter, String dims, Unit unit) {}
    lock.lock();
    try {
      final class Sum {
        final Map<String, String> dimensions;
        BigDecimal quantity;
        long credits;

        Sum(Map<String, String> dimensions, BigDecimal quantity, long credits) {
          this.dimensions = dimensions;
          this.quantity = quantity;
          this.credits = credits;
        }
      }
      Map<Group, Sum> sums = new LinkedHashMap<>();
      for (var entry : lines.entrySet()) {
        RatingCursor.Key key = entry.getKey();
        if (!key.tenant().equals(q.tenant())
            || q.account().map(a -> !a.equals(key.account())).orElse(false)
            || q.meter().map(m -> !m.equals(key.meter())).orElse(false)) {
          continue;
        }
        for (List<RatedLine> step : entry.getValue().values()) {
          for (RatedLine l : step) {
            if (q.year().map(y -> y != l.period().getYear()).orElse(false)
                || q.month().map(m -> m != l.period().getMonthValue()).orElse(false)) {
              continue;
            }
            Group g =
                new Group(
                    l.account(),
                    l.period().getYear(),
                    l.period().getMonthValue(),
                    l.meter(),
                    RatedLine.dimensionKey(l.dimensions()),
                    l.credits().unit());
            Sum sum = sums.get(g);
            if (sum == null) {
              sums.put(g, new Sum(l.dimensions(), l.quantity(), l.credits().minor()));
            } else {
              sum.quantity = sum.quantity.add(l.quantity());
              sum.credits = Math.addExact(sum.credits, l.credits().minor());
            }
          }
        }
      }
      List<UsageSummaryRow> rows = new ArrayList<>();
      for (var e : sums.entrySet()) {
        Group g = e.getKey();
        Sum sum = e.getValue();
        rows.add(
            new UsageSummaryRow(
                q.tenant(),
                g.account(),
                g.year(),
                g.month(),
                g.meter(),
                sum.dimensions,
                sum.quantity,
                Amount.ofMinor(g.unit(), sum.credits),
                Optional.empty()));
      }
      return rows;
    } finally {
      lock.unlock();
    }
  }
}
