package dev.billingsdk.spi;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The storage SPI of metering: meters, usage events (deduplicated by id, atomically with their
 * claim), rating cursors (the deduction's watermarks, moved by compare-and-set) and rated lines
 * (what monthly summaries add up). A store that implements it next to {@link BillingStore} gives
 * {@code Billing.metering()} and {@code Billing.deductions()}; {@code billing-tck} pins the rules.
 * Every method is tenant-scoped except the cursor scan, which is the deduction job's work list.
 */
public interface MeteringStore {

  /**
   * Stores the meter unless one with its tenant and key exists, atomically.
   *
   * @return the stored meter: {@code meter} itself, or the one that was there first
   */
  Meter insertMeterIfAbsent(Meter meter);

  Optional<Meter> findMeter(TenantId tenant, String key);

  /** The tenant's meters, by key. */
  List<Meter> meters(TenantId tenant);

  /**
   * Claims and stores usage events, atomically with their claim: an event whose id (per tenant) is
   * new is stored, gets the next sequence of its (tenant, account, meter) and raises that triple's
   * rating cursor (created at the event's time if absent); an id that exists with an equal
   * fingerprint, also earlier in the same list, is a duplicate and changes nothing.
   *
   * <p>If any event's id exists with a different fingerprint, the store writes nothing at all and
   * returns only the {@link IngestOutcome.Conflict} outcomes. Otherwise it returns one outcome per
   * event, in order, and every inserted event is visible once the call returns. Safe across threads
   * and processes: two callers claiming the same new id store it once, and the other sees it as a
   * duplicate (or a conflict). The caller has checked meters, accounts and values.
   */
  List<IngestOutcome> ingest(List<StoredUsageEvent> events);

  Optional<StoredUsageEvent> findUsageEvent(TenantId tenant, String id);

  Optional<RatingCursor> findRatingCursor(TenantId tenant, AccountId account, String meter);

  /**
   * At most {@code limit} rating cursors of every tenant, ordered by (tenant, account, meter) in
   * the store's stable order, after {@code after} (from the start when empty): the deduction job's
   * work list.
   */
  List<RatingCursor> ratingCursors(Optional<RatingCursor.Key> after, int limit);

  /**
   * Late usage: at most {@code limit} events of the triple with {@code afterSequence < sequence <=
   * upToSequence} that occurred before {@code occurredBefore}, by sequence.
   */
  List<StoredUsageEvent> lateUsage(
      TenantId tenant,
      AccountId account,
      String meter,
      long afterSequence,
      long upToSequence,
      Instant occurredBefore,
      int limit);

  /**
   * A window's usage: at most {@code limit} events of the triple that occurred in [{@code from},
   * {@code to}) with {@code sequence <= upToSequence}, ordered by (occurredAt, sequence), starting
   * after the position {@code after} when given.
   */
  List<StoredUsageEvent> windowUsage(
      TenantId tenant,
      AccountId account,
      String meter,
      Instant from,
      Instant to,
      long upToSequence,
      Optional<UsagePosition> after,
      int limit);

  /** A position in (occurredAt, sequence) order, for paging {@link #windowUsage}. */
  record UsagePosition(Instant occurredAt, long sequence) {}

  /**
   * What {@link #pendingUsage} found for one cursor: its late usage, by sequence, and its usage
   * ahead, by (occurredAt, sequence).
   */
  record PendingUsage(List<StoredUsageEvent> late, List<StoredUsageEvent> ahead) {
    public PendingUsage {
      late = List.copyOf(late);
      ahead = List.copyOf(ahead);
    }
  }

  /**
   * The usage a deduction reads for a page of cursors before rating them, in one call: for each
   * cursor, in order, its late usage, as {@link #lateUsage}{@code (key, ratedSequence,
   * ingestedSequence, ratedUntil, limit)} reads it, and its usage ahead, as {@link
   * #windowUsage}{@code (key, ratedUntil, due, ingestedSequence, no position, limit)} reads it
   * (none when {@code ratedUntil} is not before {@code due}). The bounds are the given cursors',
   * not the stored ones'.
   *
   * <p>The default reads each cursor on its own; a database store answers in one round trip.
   *
   * @throws InvalidRequestException if the list, a cursor or {@code due} is null, or {@code limit}
   *     is not positive
   */
  default List<PendingUsage> pendingUsage(List<RatingCursor> cursors, Instant due, int limit) {
    requirePendingUsage(cursors, due, limit);
    List<PendingUsage> out = new ArrayList<>(cursors.size());
    for (RatingCursor c : cursors) {
      List<StoredUsageEvent> late =
          lateUsage(
              c.tenant(),
              c.account(),
              c.meter(),
              c.ratedSequence(),
              c.ingestedSequence(),
              c.ratedUntil(),
              limit);
      List<StoredUsageEvent> ahead =
          c.ratedUntil().isBefore(due)
              ? windowUsage(
                  c.tenant(),
                  c.account(),
                  c.meter(),
                  c.ratedUntil(),
                  due,
                  c.ingestedSequence(),
                  Optional.empty(),
                  limit)
              : List.of();
      out.add(new PendingUsage(late, ahead));
    }
    return out;
  }

  /** Checks the arguments of {@link #pendingUsage}. */
  static void requirePendingUsage(List<RatingCursor> cursors, Instant due, int limit) {
    InvalidRequestException.requireNonNull(cursors, "cursors");
    InvalidRequestException.requireNonNull(due, "due");
    for (int i = 0; i < cursors.size(); i++) {
      if (cursors.get(i) == null) {
        throw new InvalidRequestException("cursors[" + i + "]", null, "is required");
      }
    }
    if (limit < 1) {
      throw new InvalidRequestException("limit", limit, "must be positive");
    }
  }

  /**
   * Moves a rating cursor one step and stores the step's lines, atomically, if the stored cursor is
   * still at {@code next.version() - 1}; the stored {@code ingestedSequence} is kept (ingest owns
   * it).
   *
   * @return false, writing nothing, if the cursor moved on or does not exist
   */
  boolean advanceRatingCursor(RatingCursor next, List<RatedLine> lines);

  /**
   * One cursor's step of {@link #advanceRatingCursors}: the cursor it reaches and the lines it
   * stores. Built only for lines that are the step's own (same tenant, account and meter, {@code
   * cursorVersion} the version the step reaches, distinct line numbers that are not negative), so a
   * page is checked before a store sees it.
   */
  record CursorStep(RatingCursor next, List<RatedLine> lines) {
    public CursorStep {
      InvalidRequestException.requireNonNull(next, "next");
      InvalidRequestException.requireNonNull(lines, "lines");
      Set<Integer> numbers = new HashSet<>();
      for (RatedLine l : lines) {
        InvalidRequestException.requireNonNull(l, "lines");
        if (!l.tenant().equals(next.tenant())
            || !l.account().equals(next.account())
            || !l.meter().equals(next.meter())) {
          throw new InvalidRequestException(
              "lines",
              l.tenant() + "/" + l.account() + "/" + l.meter(),
              "must be the cursor's own (" + next.key() + ")");
        }
        if (l.cursorVersion() != next.version()) {
          throw new InvalidRequestException(
              "cursorVersion",
              l.cursorVersion(),
              "must be the version the step reaches (" + next.version() + ")");
        }
        if (l.lineNumber() < 0 || !numbers.add(l.lineNumber())) {
          throw new InvalidRequestException(
              "lineNumber", l.lineNumber(), "must be distinct and not negative within a step");
        }
      }
      lines = List.copyOf(lines);
    }
  }

  /**
   * Moves a page of rating cursors one step each, every step as {@link #advanceRatingCursor} moves
   * one cursor, in one transaction where the store has them: the deduction decides, and confirms, a
   * page of cursors per call. Each step is its own compare-and-set: a step whose cursor moved on
   * (or does not exist) is refused alone and writes nothing, and the other steps are applied.
   *
   * <p>The default applies the steps one by one; a database store overrides it with one
   * transaction.
   *
   * @return one flag per step, in order: true if the step was applied
   * @throws InvalidRequestException if the list or a step is null, or two steps name one cursor;
   *     nothing is written. A store refuses lines it cannot keep exactly (as {@link
   *     #advanceRatingCursor} does) before writing any step.
   */
  default List<Boolean> advanceRatingCursors(List<CursorStep> steps) {
    requireDistinctCursors(steps);
    List<Boolean> moved = new ArrayList<>(steps.size());
    for (CursorStep s : steps) {
      moved.add(advanceRatingCursor(s.next(), s.lines()));
    }
    return moved;
  }

  /**
   * Checks a page of {@link #advanceRatingCursors}: not null, no null step, no cursor twice.
   *
   * @throws InvalidRequestException naming the first offending step
   */
  static void requireDistinctCursors(List<CursorStep> steps) {
    InvalidRequestException.requireNonNull(steps, "steps");
    Set<RatingCursor.Key> seen = new HashSet<>();
    for (int i = 0; i < steps.size(); i++) {
      CursorStep s = steps.get(i);
      if (s == null) {
        throw new InvalidRequestException("steps[" + i + "]", null, "is required");
      }
      if (!seen.add(s.next().key())) {
        throw new InvalidRequestException(
            "steps[" + i + "]", s.next().key(), "names a cursor an earlier step of the page names");
      }
    }
  }

  /** The rated lines of one step of a triple's cursor (the version it reached), by line number. */
  List<RatedLine> ratedLines(TenantId tenant, AccountId account, String meter, long cursorVersion);

  /**
   * Sums of rated lines per (account, year, month, meter, dimension values, unit) that match the
   * query, in any order (the caller sorts); {@code currency} is empty. Rows whose quantity and
   * credits both sum to zero may be left out. A database store answers from an index that starts
   * with the tenant and the period; it never loads the tenant's lines to filter them.
   */
  List<UsageSummaryRow> usageSummary(UsageSummaryQuery query);
}
