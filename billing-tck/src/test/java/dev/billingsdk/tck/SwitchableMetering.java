package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deliberately plain metering store for testing {@link MeteringStoreTck} itself: one map per
 * concern, one monitor. With nothing broken it is correct (and must pass the kit); each {@link
 * Break} gets one thing wrong the way real adapters do, and the kit must catch it.
 */
final class SwitchableMetering implements MeteringStore {

  /** One way to get metering storage wrong. */
  enum Break {
    /** Meters are unique by key alone, not per tenant. */
    METERS_ACROSS_TENANTS,
    /** A second definition of a key replaces the first. */
    METER_LAST_WINS,
    /** Handles events one by one: a conflict refuses only itself, the rest of the list is kept. */
    CONFLICT_WRITES_THE_REST,
    /** Looks ids up only among stored events, so an id twice in one list is stored twice. */
    NO_DEDUP_WITHIN_A_LIST,
    /** Checks ids in one step and inserts in another, so two callers can both insert an id. */
    CHECK_THEN_INSERT,
    /** Draws sequences and raises the cursor, then makes the events readable in a second step. */
    SEQUENCE_BEFORE_VISIBLE,
    /** Keeps times to the millisecond (a DATETIME(3) column). */
    MILLISECOND_TIMES,
    /** A window read ignores its sequence bound and includes its end. */
    SLOPPY_WINDOW,
    /** Pages a window by sequence alone. */
    WINDOW_PAGES_BY_SEQUENCE,
    /** A late-usage read ignores {@code occurredBefore}. */
    LATE_IGNORES_TIME,
    /** A rating step writes the caller's {@code ingestedSequence} over ingest's. */
    ADVANCE_OVERWRITES_INGESTED,
    /** A rating step applies whatever the stored version (and creates a missing cursor). */
    NO_VERSION_CHECK,
    /** A rating step stores its lines before the compare-and-set, even when that fails. */
    LINES_EVEN_WHEN_REFUSED,
    /** The page's pending read takes usage ahead up to the stored sequence, not the cursor's. */
    PENDING_IGNORES_THE_CURSORS_BOUND,
    /** The page's pending read ignores its limit. */
    PENDING_WITHOUT_LIMIT,
    /** A page of cursor steps is all or nothing: one stale step refuses the page. */
    PAGE_ALL_OR_NOTHING,
    /** A page stores the lines of every step, also of the steps it refuses. */
    PAGE_LINES_OF_REFUSED,
    /** A page takes a cursor named twice: the first step moves it, the second is refused. */
    PAGE_TAKES_A_CURSOR_TWICE,
    /** The cursor scan's {@code after} is inclusive. */
    SCAN_AFTER_INCLUSIVE,
    /** Summaries add up every tenant's lines. */
    SUMMARY_ACROSS_TENANTS,
    /** Summaries ignore the month of the query. */
    SUMMARY_IGNORES_MONTH,
    /** Summaries group without the dimension values. */
    SUMMARY_WITHOUT_DIMENSIONS,
    /** Summaries add quantities as doubles. */
    SUMMARY_IN_DOUBLES,
    /** Summaries add only lines that charged something (credits above zero). */
    SUMMARY_ONLY_CHARGES
  }

  private static final Comparator<RatingCursor.Key> KEY_ORDER =
      Comparator.comparing((RatingCursor.Key k) -> k.tenant().value())
          .thenComparing(k -> k.account().value())
          .thenComparing(RatingCursor.Key::meter);

  private final Set<Break> breaks;
  private final Object lock = new Object();
  private final Map<String, Meter> meters = new HashMap<>();
  private final Map<String, StoredUsageEvent> events = new HashMap<>();
  private final TreeMap<RatingCursor.Key, RatingCursor> cursors = new TreeMap<>(KEY_ORDER);
  private final Map<RatingCursor.Key, NavigableMap<Long, StoredUsageEvent>> bySequence =
      new HashMap<>();
  private final Map<RatingCursor.Key, TreeMap<Long, List<RatedLine>>> lines = new HashMap<>();

  private SwitchableMetering(Set<Break> breaks) {
    this.breaks = breaks.isEmpty() ? EnumSet.noneOf(Break.class) : EnumSet.copyOf(breaks);
  }

  /**
   * A store that is both a {@link BillingStore} (an in-memory one, for accounts) and this metering
   * store, as {@code Billing} and the kit need: one object for both.
   */
  static BillingStore with(Set<Break> breaks) {
    InMemoryBillingStore ledger = InMemoryBillingStore.create();
    SwitchableMetering metering = new SwitchableMetering(breaks);
    return (BillingStore)
        Proxy.newProxyInstance(
            SwitchableMetering.class.getClassLoader(),
            new Class<?>[] {BillingStore.class, MeteringStore.class},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "equals" -> proxy == args[0];
                  case "hashCode" -> System.identityHashCode(proxy);
                  default -> "SwitchableMetering" + breaks;
                };
              }
              Object target = method.getDeclaringClass() == MeteringStore.class ? metering : ledger;
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private boolean broken(Break b) {
    return breaks.contains(b);
  }

  private static String scoped(TenantId tenant, String id) {
    return tenant.value() + "\u0000" + id;
  }

  private static RatingCursor.Key key(UsageEvent e) {
    return new RatingCursor.Key(e.tenant(), e.account(), e.meter());
  }

  // ---------------------------------------------------------------- meters

  private String meterKey(TenantId tenant, String key) {
    return broken(Break.METERS_ACROSS_TENANTS) ? key : scoped(tenant, key);
  }

  @Override
  public Meter insertMeterIfAbsent(Meter meter) {
    synchronized (lock) {
      String k = meterKey(meter.tenant(), meter.key());
      if (broken(Break.METER_LAST_WINS)) {
        meters.put(k, meter);
        return meter;
      }
      return meters.computeIfAbsent(k, x -> meter);
    }
  }

  @Override
  public Optional<Meter> findMeter(TenantId tenant, String key) {
    synchronized (lock) {
      return Optional.ofNullable(meters.get(meterKey(tenant, key)));
    }
  }

  @Override
  public List<Meter> meters(TenantId tenant) {
    synchronized (lock) {
      return meters.values().stream()
          .filter(x -> x.tenant().equals(tenant))
          .sorted(Comparator.comparing(Meter::key))
          .toList();
    }
  }

  // ---------------------------------------------------------------- ingest

  @Override
  public List<IngestOutcome> ingest(List<StoredUsageEvent> batch) {
    if (broken(Break.CONFLICT_WRITES_THE_REST)) {
      List<IngestOutcome> conflicts = new ArrayList<>();
      List<IngestOutcome> all = new ArrayList<>();
      for (StoredUsageEvent e : batch) {
        IngestOutcome o = ingestAtomically(List.of(e)).get(0);
        all.add(o);
        if (o instanceof IngestOutcome.Conflict) {
          conflicts.add(o);
        }
      }
      return conflicts.isEmpty() ? all : conflicts;
    }
    if (broken(Break.CHECK_THEN_INSERT)) {
      List<IngestOutcome> decided;
      synchronized (lock) {
        decided = decide(batch);
      }
      Thread.yield();
      synchronized (lock) {
        return apply(decided);
      }
    }
    if (broken(Break.SEQUENCE_BEFORE_VISIBLE)) {
      List<IngestOutcome> result;
      List<StoredUsageEvent> toShow = new ArrayList<>();
      synchronized (lock) {
        List<IngestOutcome> decided = decide(batch);
        if (decided.stream().anyMatch(IngestOutcome.Conflict.class::isInstance)) {
          return decided;
        }
        result = new ArrayList<>();
        for (IngestOutcome o : decided) {
          if (o instanceof IngestOutcome.Inserted i) {
            StoredUsageEvent s = sequence(i.stored());
            events.put(scoped(s.event().tenant(), s.event().id()), s);
            toShow.add(s);
            result.add(new IngestOutcome.Inserted(s));
          } else {
            result.add(o);
          }
        }
      }
      Thread.yield();
      synchronized (lock) {
        for (StoredUsageEvent s : toShow) {
          bySequence.computeIfAbsent(key(s.event()), k -> new TreeMap<>()).put(s.sequence(), s);
        }
      }
      return fixDuplicates(result);
    }
    return ingestAtomically(batch);
  }

  private List<IngestOutcome> ingestAtomically(List<StoredUsageEvent> batch) {
    synchronized (lock) {
      List<IngestOutcome> decided = decide(batch);
      if (decided.stream().anyMatch(IngestOutcome.Conflict.class::isInstance)) {
        return decided;
      }
      return apply(decided);
    }
  }

  /** Outcomes against what is stored and (unless broken) earlier in the list; conflicts only. */
  private List<IngestOutcome> decide(List<StoredUsageEvent> batch) {
    Map<String, StoredUsageEvent> seen = new HashMap<>();
    List<IngestOutcome> outcomes = new ArrayList<>();
    List<IngestOutcome> conflicts = new ArrayList<>();
    for (StoredUsageEvent e : batch) {
      String id = scoped(e.event().tenant(), e.event().id());
      StoredUsageEvent existing = events.get(id);
      if (existing == null && !broken(Break.NO_DEDUP_WITHIN_A_LIST)) {
        existing = seen.get(id);
      }
      if (existing == null) {
        seen.put(id, e);
        outcomes.add(new IngestOutcome.Inserted(e));
      } else if (existing.fingerprint().equals(e.fingerprint())) {
        outcomes.add(new IngestOutcome.Duplicate(existing));
      } else {
        conflicts.add(new IngestOutcome.Conflict(existing, e));
      }
    }
    return conflicts.isEmpty() ? outcomes : conflicts;
  }

  private List<IngestOutcome> apply(List<IngestOutcome> decided) {
    List<IngestOutcome> result = new ArrayList<>();
    for (IngestOutcome o : decided) {
      if (o instanceof IngestOutcome.Inserted i) {
        StoredUsageEvent s = sequence(i.stored());
        events.put(scoped(s.event().tenant(), s.event().id()), s);
        bySequence.computeIfAbsent(key(s.event()), k -> new TreeMap<>()).put(s.sequence(), s);
        result.add(new IngestOutcome.Inserted(s));
      } else {
        result.add(o);
      }
    }
    return fixDuplicates(result);
  }

  /** Points a duplicate of an id inserted earlier in the same list at the stored event. */
  private List<IngestOutcome> fixDuplicates(List<IngestOutcome> outcomes) {
    List<IngestOutcome> fixed = new ArrayList<>();
    for (IngestOutcome o : outcomes) {
      if (o instanceof IngestOutcome.Duplicate d && d.existing().sequence() == 0) {
        StoredUsageEvent s =
            events.get(scoped(d.existing().event().tenant(), d.existing().event().id()));
        fixed.add(new IngestOutcome.Duplicate(s));
      } else {
        fixed.add(o);
      }
    }
    return fixed;
  }

  /** Draws the event's sequence and raises (or creates) its cursor. */
  private StoredUsageEvent sequence(StoredUsageEvent e) {
    UsageEvent u = e.event();
    RatingCursor c =
        cursors.getOrDefault(
            key(u), RatingCursor.created(u.tenant(), u.account(), u.meter(), u.occurredAt()));
    long seq = c.ingestedSequence() + 1;
    cursors.put(
        key(u),
        new RatingCursor(
            c.tenant(),
            c.account(),
            c.meter(),
            c.version(),
            c.ratedUntil(),
            c.ratedSequence(),
            seq,
            c.state()));
    return e.withSequence(seq);
  }

  /** An event as the store reads it back. */
  private StoredUsageEvent read(StoredUsageEvent s) {
    if (!broken(Break.MILLISECOND_TIMES)) {
      return s;
    }
    UsageEvent u = s.event();
    UsageEvent read =
        UsageEvent.builder(u.tenant(), u.account(), u.meter())
            .id(u.id())
            .quantity(u.quantity())
            .occurredAt(u.occurredAt().truncatedTo(ChronoUnit.MILLIS))
            .dimensions(u.dimensions())
            .build();
    return new StoredUsageEvent(read, s.fingerprint(), s.sequence(), s.receivedAt());
  }

  private List<StoredUsageEvent> readAll(List<StoredUsageEvent> list) {
    return list.stream().map(this::read).toList();
  }

  @Override
  public Optional<StoredUsageEvent> findUsageEvent(TenantId tenant, String id) {
    synchronized (lock) {
      return Optional.ofNullable(events.get(scoped(tenant, id))).map(this::read);
    }
  }

  @Override
  public Optional<RatingCursor> findRatingCursor(TenantId tenant, AccountId account, String meter) {
    synchronized (lock) {
      return Optional.ofNullable(cursors.get(new RatingCursor.Key(tenant, account, meter)));
    }
  }

  @Override
  public List<RatingCursor> ratingCursors(Optional<RatingCursor.Key> after, int limit) {
    synchronized (lock) {
      var view =
          after.isEmpty()
              ? cursors
              : cursors.tailMap(after.get(), broken(Break.SCAN_AFTER_INCLUSIVE));
      return view.values().stream().limit(limit).toList();
    }
  }

  private NavigableMap<Long, StoredUsageEvent> triple(
      TenantId tenant, AccountId account, String meter) {
    return bySequence.getOrDefault(new RatingCursor.Key(tenant, account, meter), new TreeMap<>());
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
    synchronized (lock) {
      return readAll(
          triple(tenant, account, meter).values().stream()
              .filter(e -> e.sequence() > afterSequence && e.sequence() <= upToSequence)
              .filter(
                  e ->
                      broken(Break.LATE_IGNORES_TIME)
                          || e.event().occurredAt().isBefore(occurredBefore))
              .limit(limit)
              .toList());
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
    boolean sloppy = broken(Break.SLOPPY_WINDOW);
    synchronized (lock) {
      return readAll(
          triple(tenant, account, meter).values().stream()
              .filter(e -> sloppy || e.sequence() <= upToSequence)
              .filter(e -> !e.event().occurredAt().isBefore(from))
              .filter(
                  e ->
                      e.event().occurredAt().isBefore(to)
                          || (sloppy && e.event().occurredAt().equals(to)))
              .filter(e -> after.isEmpty() || afterPosition(e, after.get()))
              .sorted(
                  Comparator.comparing((StoredUsageEvent e) -> e.event().occurredAt())
                      .thenComparingLong(StoredUsageEvent::sequence))
              .limit(limit)
              .toList());
    }
  }

  private boolean afterPosition(StoredUsageEvent e, UsagePosition p) {
    if (broken(Break.WINDOW_PAGES_BY_SEQUENCE)) {
      return e.sequence() > p.sequence();
    }
    int c = e.event().occurredAt().compareTo(p.occurredAt());
    return c > 0 || (c == 0 && e.sequence() > p.sequence());
  }

  // ---------------------------------------------------------------- rating

  @Override
  public boolean advanceRatingCursor(RatingCursor next, List<RatedLine> stepLines) {
    synchronized (lock) {
      if (broken(Break.LINES_EVEN_WHEN_REFUSED) && !stepLines.isEmpty()) {
        putLines(next, stepLines);
      }
      RatingCursor current = cursors.get(next.key());
      boolean checked = !broken(Break.NO_VERSION_CHECK);
      if (checked && (current == null || current.version() != next.version() - 1)) {
        return false;
      }
      long ingested =
          current == null || broken(Break.ADVANCE_OVERWRITES_INGESTED)
              ? next.ingestedSequence()
              : current.ingestedSequence();
      cursors.put(
          next.key(),
          new RatingCursor(
              next.tenant(),
              next.account(),
              next.meter(),
              next.version(),
              next.ratedUntil(),
              next.ratedSequence(),
              ingested,
              next.state()));
      if (!broken(Break.LINES_EVEN_WHEN_REFUSED) && !stepLines.isEmpty()) {
        putLines(next, stepLines);
      }
      return true;
    }
  }

  /** Its own reads, not the single ones, so that their breaks stay in their own family. */
  @Override
  public List<PendingUsage> pendingUsage(List<RatingCursor> cursors, Instant due, int limit) {
    MeteringStore.requirePendingUsage(cursors, due, limit);
    long max = broken(Break.PENDING_WITHOUT_LIMIT) ? Long.MAX_VALUE : limit;
    synchronized (lock) {
      List<PendingUsage> out = new ArrayList<>();
      for (RatingCursor c : cursors) {
        NavigableMap<Long, StoredUsageEvent> all = triple(c.tenant(), c.account(), c.meter());
        long bound =
            broken(Break.PENDING_IGNORES_THE_CURSORS_BOUND) ? Long.MAX_VALUE : c.ingestedSequence();
        List<StoredUsageEvent> late =
            all.values().stream()
                .filter(
                    e -> e.sequence() > c.ratedSequence() && e.sequence() <= c.ingestedSequence())
                .filter(e -> e.event().occurredAt().isBefore(c.ratedUntil()))
                .limit(max)
                .toList();
        List<StoredUsageEvent> ahead =
            !c.ratedUntil().isBefore(due)
                ? List.of()
                : all.values().stream()
                    .filter(e -> e.sequence() <= bound)
                    .filter(e -> !e.event().occurredAt().isBefore(c.ratedUntil()))
                    .filter(e -> e.event().occurredAt().isBefore(due))
                    .sorted(
                        Comparator.comparing((StoredUsageEvent e) -> e.event().occurredAt())
                            .thenComparingLong(StoredUsageEvent::sequence))
                    .limit(max)
                    .toList();
        out.add(new PendingUsage(readAll(late), readAll(ahead)));
      }
      return out;
    }
  }

  @Override
  public List<Boolean> advanceRatingCursors(List<CursorStep> steps) {
    synchronized (lock) {
      if (!broken(Break.PAGE_TAKES_A_CURSOR_TWICE)) {
        MeteringStore.requireDistinctCursors(steps);
      }
      if (broken(Break.PAGE_ALL_OR_NOTHING)) {
        for (CursorStep s : steps) {
          RatingCursor current = cursors.get(s.next().key());
          if (current == null || current.version() != s.next().version() - 1) {
            return steps.stream().map(x -> false).toList();
          }
        }
      }
      List<Boolean> moved = new ArrayList<>();
      for (CursorStep s : steps) {
        boolean ok = advanceRatingCursor(s.next(), s.lines());
        if (!ok && broken(Break.PAGE_LINES_OF_REFUSED) && !s.lines().isEmpty()) {
          putLines(s.next(), s.lines());
        }
        moved.add(ok);
      }
      return moved;
    }
  }

  private void putLines(RatingCursor next, List<RatedLine> stepLines) {
    lines
        .computeIfAbsent(next.key(), k -> new TreeMap<>())
        .put(
            next.version(),
            stepLines.stream().sorted(Comparator.comparingInt(RatedLine::lineNumber)).toList());
  }

  @Override
  public List<RatedLine> ratedLines(
      TenantId tenant, AccountId account, String meter, long cursorVersion) {
    synchronized (lock) {
      return lines
          .getOrDefault(new RatingCursor.Key(tenant, account, meter), new TreeMap<>())
          .getOrDefault(cursorVersion, List.of());
    }
  }

  @Override
  public List<UsageSummaryRow> usageSummary(UsageSummaryQuery q) {
    record Group(
        TenantId tenant,
        AccountId account,
        int year,
        int month,
        String meter,
        String dims,
        Unit u) {}
    synchronized (lock) {
      Map<Group, BigDecimal> quantities = new LinkedHashMap<>();
      Map<Group, Double> doubles = new HashMap<>();
      Map<Group, Long> credits = new HashMap<>();
      Map<Group, Map<String, String>> dimensions = new HashMap<>();
      for (TreeMap<Long, List<RatedLine>> steps : lines.values()) {
        for (List<RatedLine> step : steps.values()) {
          for (RatedLine l : step) {
            if ((!broken(Break.SUMMARY_ACROSS_TENANTS) && !l.tenant().equals(q.tenant()))
                || q.account().filter(a -> !a.equals(l.account())).isPresent()
                || q.year().filter(y -> y != l.period().getYear()).isPresent()
                || (!broken(Break.SUMMARY_IGNORES_MONTH)
                    && q.month().filter(m -> m != l.period().getMonthValue()).isPresent())
                || q.meter().filter(m -> !m.equals(l.meter())).isPresent()
                || (broken(Break.SUMMARY_ONLY_CHARGES) && !l.credits().isPositive())) {
              continue;
            }
            Map<String, String> dims =
                broken(Break.SUMMARY_WITHOUT_DIMENSIONS) ? Map.of() : l.dimensions();
            Group g =
                new Group(
                    q.tenant(),
                    l.account(),
                    l.period().getYear(),
                    l.period().getMonthValue(),
                    l.meter(),
                    RatedLine.dimensionKey(dims),
                    l.credits().unit());
            quantities.merge(g, l.quantity(), BigDecimal::add);
            doubles.merge(g, l.quantity().doubleValue(), Double::sum);
            credits.merge(g, l.credits().minor(), Math::addExact);
            dimensions.putIfAbsent(g, dims);
          }
        }
      }
      List<UsageSummaryRow> rows = new ArrayList<>();
      for (Map.Entry<Group, BigDecimal> e : quantities.entrySet()) {
        Group g = e.getKey();
        BigDecimal quantity =
            broken(Break.SUMMARY_IN_DOUBLES) ? BigDecimal.valueOf(doubles.get(g)) : e.getValue();
        rows.add(
            new UsageSummaryRow(
                g.tenant(),
                g.account(),
                g.year(),
                g.month(),
                g.meter(),
                dimensions.get(g),
                quantity,
                Amount.ofMinor(g.u(), credits.get(g)),
                Optional.empty()));
      }
      return rows;
    }
  }
}
