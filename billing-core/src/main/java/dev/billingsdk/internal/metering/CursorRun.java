package dev.billingsdk.internal.metering;

import dev.billingsdk.Actor;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Identifiers;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.metering.DeductionPosting;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.RatingOverflowException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Brings one rating cursor up to {@code due}, window by window: decide (rate the window and move
 * the cursor with the decision in its state), post (the decided charge or credit, idempotently),
 * confirm (move the cursor again with the window's lines). {@link DeductionService} runs the
 * cursors of a page together, one move of each per round, and describes why a crash between any two
 * steps loses and doubles nothing.
 *
 * <p>A round asks each run for its {@link #next} move (reads only), posts the moves that confirm a
 * decision, writes every move's cursor step with one {@link MeteringStore#advanceRatingCursors},
 * and tells each run whether its step was applied ({@link #written}).
 */
final class CursorRun {
  private static final int EVENT_PAGE = 5_000;
  private static final int MAX_STEPS_PER_CURSOR = 100_000;
  private static final int MAX_CAS_ATTEMPTS = 100;
  static final String REF_METER = "usage.meter";
  static final String REF_WINDOW_START = "usage.window.start";
  static final String REF_WINDOW_END = "usage.window.end";
  static final String REF_RATING_VERSION = "usage.posting";

  private final KnownAccounts accounts;
  private final MeteringStore metering;
  private final MeteringSettings settings;
  private RatingCursor cursor;
  private final Meter meter;
  private final Instant due;
  private final boolean dry;
  private final List<DeductionPosting> out = new ArrayList<>();
  // The usage read ahead of the cursor (see upcoming): [aheadFrom, due) up to aheadUpTo.
  private @Nullable List<StoredUsageEvent> ahead;
  private Instant aheadFrom = Instant.EPOCH;
  private long aheadUpTo = -1;
  private boolean aheadComplete;
  // Late usage read for the page (see preload), for the cursor as it was read.
  private @Nullable List<StoredUsageEvent> preloadedLate;
  private int preloadLimit;
  private int steps;
  private int casFailures;
  // Read on first use: a run that finds nothing to rate never loads them.
  private @Nullable Account account;
  private @Nullable MeterPrice price;

  /**
   * One move of a run: the cursor step to write, the decided posting to post first (a confirm), and
   * what to report once the step is written.
   */
  static final class Move {
    final MeteringStore.CursorStep step;
    final RatingState.@Nullable Pending post;
    final @Nullable DeductionPosting report;

    Move(
        MeteringStore.CursorStep step,
        RatingState.@Nullable Pending post,
        @Nullable DeductionPosting report) {
      this.step = step;
      this.post = post;
      this.report = report;
    }
  }

  /**
   * @param due the end of the last window to rate (a window boundary, see {@link #floor})
   * @param dry decide without writing: nothing is posted and no cursor is stored
   */
  CursorRun(
      KnownAccounts accounts,
      MeteringStore metering,
      MeteringSettings settings,
      RatingCursor cursor,
      Meter meter,
      Instant due,
      boolean dry) {
    this.accounts = accounts;
    this.metering = metering;
    this.settings = settings;
    this.cursor = cursor;
    this.meter = meter;
    this.due = due;
    this.dry = dry;
  }

  /**
   * Takes the usage the page read for this run's cursor ({@link MeteringStore#pendingUsage} with
   * {@code limit}): the first step then reads nothing more unless a list came back full.
   */
  void preload(MeteringStore.PendingUsage usage, int limit) {
    preloadedLate = usage.late();
    preloadLimit = limit;
    ahead = usage.ahead();
    aheadFrom = cursor.ratedUntil();
    aheadUpTo = cursor.ingestedSequence();
    aheadComplete = usage.ahead().size() < limit;
  }

  /** The windows this run posted (or, dry, would post), in window order. */
  List<DeductionPosting> postings() {
    return out;
  }

  RatingCursor cursor() {
    return cursor;
  }

  Meter meter() {
    return meter;
  }

  /**
   * Reads and decides the run's next move; empty when the cursor is up to date. A dry run applies
   * each move in memory as it decides it, so it never returns one: it runs to its end here.
   */
  Optional<Move> next() {
    while (true) {
      if (++steps > MAX_STEPS_PER_CURSOR) {
        throw new BillingException(
            "rating cursor of "
                + cursor.key()
                + " needs more than "
                + MAX_STEPS_PER_CURSOR
                + " steps");
      }
      RatingState state = RatingState.parse(cursor.state());
      RatingState.Pending pending = state.pending;
      Optional<Move> move = pending != null ? confirm(state, pending) : step(state);
      if (move.isEmpty() || !dry) {
        return move;
      }
      written(move.get(), true);
    }
  }

  /**
   * The page wrote this run's move ({@code moved}) or found its cursor moved on: the run goes on
   * from the step it wrote, or from the cursor as stored now.
   */
  void written(Move move, boolean moved) {
    if (moved) {
      cursor = move.step.next();
      if (move.report != null) {
        out.add(move.report);
      }
      return;
    }
    if (++casFailures > MAX_CAS_ATTEMPTS) {
      throw new BillingException(
          "rating cursor of " + cursor.key() + " kept moving; try the run again");
    }
    ahead = null;
    preloadedLate = null;
    cursor =
        metering
            .findRatingCursor(cursor.tenant(), cursor.account(), cursor.meter())
            .orElseThrow(
                () -> new IllegalStateException("rating cursor vanished: " + cursor.key()));
  }

  /** Confirms a decided posting: the caller posts it first, then writes the step. */
  private Optional<Move> confirm(RatingState state, RatingState.Pending p) {
    state.pending = null;
    RatingCursor next =
        cursor.advanced(cursor.ratedUntil(), cursor.ratedSequence(), state.toJson());
    List<RatedLine> lines = dry ? List.of() : ratedLines(next.version(), p, Optional.of(p.key()));
    DeductionPosting report =
        posting(
            p.windowStart(),
            p.windowEnd(),
            p.amount(),
            Optional.of(p.key()),
            p.lines(),
            p.events(),
            !dry);
    return Optional.of(new Move(new MeteringStore.CursorStep(next, lines), dry ? null : p, report));
  }

  /**
   * Decides the next step, if one is due: empty when the cursor is up to date, else the step that
   * moves the cursor past the window (with the decision in its state, or, when the window costs
   * nothing, with its lines).
   */
  private Optional<Move> step(RatingState state) {
    long upTo = cursor.ingestedSequence();
    Instant ratedUntil = cursor.ratedUntil();
    List<StoredUsageEvent> late = late(upTo, ratedUntil);
    Instant windowStart = ratedUntil;
    Instant windowEnd;
    if (!ratedUntil.isBefore(due)) {
      if (late.isEmpty()) {
        return Optional.empty();
      }
      windowEnd = ratedUntil;
    } else {
      if (late.isEmpty() && !state.running()) {
        // Nothing running and nothing late: skip the empty windows before the next usage. The
        // same read brings the events of the window it finds (and of the windows after it).
        List<StoredUsageEvent> first = upcoming(ratedUntil, upTo);
        if (first.isEmpty()) {
          return Optional.empty();
        }
        Instant firstWindow =
            floor(first.get(0).event().occurredAt(), settings.deductionInterval());
        if (firstWindow.isAfter(windowStart)) {
          windowStart = firstWindow;
        }
      }
      Instant next =
          floor(windowStart, settings.deductionInterval()).plus(settings.deductionInterval());
      windowEnd = next.isBefore(due) ? next : due;
    }
    List<StoredUsageEvent> window = window(ratedUntil, windowEnd, upTo);
    RatingEngine engine =
        new RatingEngine(
            cursor.tenant(),
            cursor.account(),
            meter,
            price(),
            account().unit(),
            MeteringService.roundingOf(settings.prices()),
            state);
    RatingEngine.Step step;
    try {
      step = engine.rate(late, window, windowEnd);
    } catch (RatingOverflowException e) {
      // Nothing of the window is decided: the cursor stays, and the failure names the window.
      throw e.inWindow(windowStart, windowEnd);
    }
    RatingEngine.prune(
        state,
        windowStart
            .minus(settings.lateArrival())
            .minus(settings.clockSkew())
            .minus(Duration.ofDays(7)));
    long version = cursor.version() + 1;
    if (step.amount() != 0) {
      Actor actor = settings.actor();
      state.pending =
          new RatingState.Pending(
              key(version),
              step.amount(),
              windowStart,
              windowEnd,
              step.events(),
              actor.id(),
              actor.roles(),
              step.lines());
      RatingCursor next = cursor.advanced(windowEnd, upTo, state.toJson());
      return Optional.of(new Move(new MeteringStore.CursorStep(next, List.of()), null, null));
    }
    RatingCursor next = cursor.advanced(windowEnd, upTo, state.toJson());
    RatingState.Pending done =
        new RatingState.Pending(
            "", 0, windowStart, windowEnd, step.events(), "", Set.of(), step.lines());
    boolean reported = dry || step.events() > 0 || !step.lines().isEmpty();
    DeductionPosting report =
        reported
            ? posting(
                windowStart, windowEnd, 0, Optional.empty(), step.lines(), step.events(), !dry)
            : null;
    List<RatedLine> lines = dry ? List.of() : ratedLines(next.version(), done, Optional.empty());
    return Optional.of(new Move(new MeteringStore.CursorStep(next, lines), null, report));
  }

  private List<StoredUsageEvent> late(long upTo, Instant ratedUntil) {
    List<StoredUsageEvent> all = new ArrayList<>();
    long after = cursor.ratedSequence();
    List<StoredUsageEvent> preloaded = preloadedLate;
    preloadedLate = null;
    if (preloaded != null && after < upTo) {
      // Read by the page for this very cursor (a re-read one drops it, see written).
      all.addAll(preloaded);
      if (preloaded.size() < preloadLimit) {
        all.sort(RatingEngine.ORDER);
        return all;
      }
      after = preloaded.get(preloaded.size() - 1).sequence();
    }
    while (after < upTo) {
      List<StoredUsageEvent> page =
          metering.lateUsage(
              cursor.tenant(),
              cursor.account(),
              cursor.meter(),
              after,
              upTo,
              ratedUntil,
              EVENT_PAGE);
      all.addAll(page);
      if (page.size() < EVENT_PAGE) {
        break;
      }
      after = page.get(page.size() - 1).sequence();
    }
    all.sort(RatingEngine.ORDER);
    return all;
  }

  /**
   * The usage of [{@code from}, {@code due}) up to sequence {@code upTo}, in (occurredAt, sequence)
   * order: all of it when {@link #aheadComplete}, else its first {@value #EVENT_PAGE} events. Read
   * once and kept: the steps of a run that catches up many windows read it once, not once a window.
   */
  private List<StoredUsageEvent> upcoming(Instant from, long upTo) {
    List<StoredUsageEvent> known = ahead;
    if (known != null && aheadUpTo == upTo && from.equals(aheadFrom)) {
      return known;
    }
    List<StoredUsageEvent> read =
        metering.windowUsage(
            cursor.tenant(),
            cursor.account(),
            cursor.meter(),
            from,
            due,
            upTo,
            Optional.empty(),
            EVENT_PAGE);
    ahead = read;
    aheadFrom = from;
    aheadUpTo = upTo;
    aheadComplete = read.size() < EVENT_PAGE;
    return read;
  }

  /**
   * The window's usage: the head of {@link #upcoming} that falls before {@code to}, paged on when
   * the read stopped inside the window; the rest is kept for the next step when the read was
   * complete.
   */
  private List<StoredUsageEvent> window(Instant from, Instant to, long upTo) {
    List<StoredUsageEvent> all = new ArrayList<>();
    if (!from.isBefore(to)) {
      return all;
    }
    List<StoredUsageEvent> up = upcoming(from, upTo);
    int cut = 0;
    while (cut < up.size() && up.get(cut).event().occurredAt().isBefore(to)) {
      cut++;
    }
    all.addAll(up.subList(0, cut));
    boolean complete = aheadComplete;
    if (complete) {
      ahead = List.copyOf(up.subList(cut, up.size()));
      aheadFrom = to;
    } else {
      ahead = null;
    }
    if (complete || cut < up.size() || up.isEmpty()) {
      return all;
    }
    // The read stopped inside the window: page on from its last event, to the window's end.
    StoredUsageEvent last = up.get(up.size() - 1);
    Optional<MeteringStore.UsagePosition> after =
        Optional.of(new MeteringStore.UsagePosition(last.event().occurredAt(), last.sequence()));
    while (true) {
      List<StoredUsageEvent> page =
          metering.windowUsage(
              cursor.tenant(), cursor.account(), cursor.meter(), from, to, upTo, after, EVENT_PAGE);
      all.addAll(page);
      if (page.size() < EVENT_PAGE) {
        break;
      }
      StoredUsageEvent end = page.get(page.size() - 1);
      after =
          Optional.of(new MeteringStore.UsagePosition(end.event().occurredAt(), end.sequence()));
    }
    return all;
  }

  private MeterPrice price() {
    MeterPrice p = price;
    if (p == null) {
      p = MeteringService.priceIn(settings.prices(), account(), meter, Map.of());
      price = p;
    }
    return p;
  }

  /**
   * The charge that posts a decided debit, every field taken from the stored decision; the
   * idempotency key makes a second posting of it a replay.
   */
  ChargeRequest charge(RatingState.Pending p) {
    return ChargeRequest.builder(
            cursor.tenant(),
            cursor.account(),
            Charge.usage(meter.key(), Amount.ofMinor(account().unit(), p.amount())))
        .references(references(p))
        .idempotencyKey(IdempotencyKey.of(p.key()))
        .actor(new Actor(p.actor(), p.roles()))
        .reason(reason(p))
        .build();
  }

  /** The grant that posts a decided credit back (usage re-rated down), as {@link #charge}. */
  GrantRequest creditBack(RatingState.Pending p) {
    return GrantRequest.builder(
            cursor.tenant(), cursor.account(), Amount.ofMinor(account().unit(), -p.amount()))
        .category(GrantCategory.ADJUSTMENT)
        .scope(Scope.meters(meter.key()))
        .name("usage re-rated down: " + meter.key())
        .metadata(references(p))
        .idempotencyKey(IdempotencyKey.of(p.key()))
        .actor(new Actor(p.actor(), p.roles()))
        .reason("credit back for " + reason(p))
        .build();
  }

  private String reason(RatingState.Pending p) {
    return "usage of meter " + meter.key() + " in [" + p.windowStart() + ", " + p.windowEnd() + ")";
  }

  private Map<String, String> references(RatingState.Pending p) {
    return Map.of(
        REF_METER, meter.key(),
        REF_WINDOW_START, p.windowStart().toString(),
        REF_WINDOW_END, p.windowEnd().toString(),
        REF_RATING_VERSION, p.key());
  }

  private Account account() {
    Account a = account;
    if (a == null) {
      a = accounts.of(cursor.tenant(), cursor.account());
      account = a;
    }
    return a;
  }

  private List<RatedLine> ratedLines(
      long version, RatingState.Pending p, Optional<String> posting) {
    Account account = account();
    List<RatedLine> lines = new ArrayList<>(p.lines().size());
    int n = 0;
    for (RatingState.Line l : p.lines()) {
      lines.add(
          new RatedLine(
              cursor.tenant(),
              cursor.account(),
              cursor.meter(),
              version,
              n++,
              p.windowStart(),
              p.windowEnd(),
              l.period(),
              l.dimensions(),
              l.quantity(),
              Amount.ofMinor(account.unit(), l.credits()),
              posting));
    }
    return lines;
  }

  private DeductionPosting posting(
      Instant start,
      Instant end,
      long amount,
      Optional<String> key,
      List<RatingState.Line> lines,
      int events,
      boolean posted) {
    Account account = account();
    List<DeductionPosting.UsageLine> ls = new ArrayList<>();
    for (RatingState.Line l : lines) {
      ls.add(
          new DeductionPosting.UsageLine(
              l.period(),
              l.dimensions(),
              l.quantity(),
              Amount.ofMinor(account.unit(), l.credits())));
    }
    return new DeductionPosting(
        cursor.tenant(),
        cursor.account(),
        cursor.meter(),
        start,
        end,
        Amount.ofMinor(account.unit(), amount),
        key.map(IdempotencyKey::of),
        ls,
        events,
        posted);
  }

  /** The posting's idempotency key: account, meter and the cursor version that decided it. */
  private String key(long version) {
    // The account's length makes the key unambiguous: ids may themselves contain '/'.
    String a = cursor.account().value();
    String plain = "usage/" + a.length() + ":" + a + "/" + cursor.meter() + "/" + version;
    if (plain.length() <= Identifiers.MAX_LENGTH) {
      return plain;
    }
    return "usage/" + digest(cursor.account().value() + "\u0000" + cursor.meter()) + "/" + version;
  }

  /** The start of the window {@code at} falls in: windows are aligned to the epoch (UTC). */
  static Instant floor(Instant at, Duration interval) {
    long s = interval.getSeconds();
    long epoch = at.getEpochSecond();
    return Instant.ofEpochSecond(Math.floorDiv(epoch, s) * s);
  }

  private static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
