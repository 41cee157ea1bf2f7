package dev.billingsdk.internal.metering;

import dev.billingsdk.Actor;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Identifiers;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.internal.credit.CreditService;
import dev.billingsdk.metering.DeductionPosting;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.RatingOverflowException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.BillingStore;
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
 * confirm (move the cursor again with the window's lines). {@link DeductionService} runs one per
 * cursor and describes why a crash between any two steps loses and doubles nothing.
 */
final class CursorRun {
  private static final int EVENT_PAGE = 5_000;
  private static final int MAX_STEPS_PER_CURSOR = 100_000;
  private static final int MAX_CAS_ATTEMPTS = 100;
  static final String REF_METER = "usage.meter";
  static final String REF_WINDOW_START = "usage.window.start";
  static final String REF_WINDOW_END = "usage.window.end";
  static final String REF_RATING_VERSION = "usage.posting";

  private final BillingStore store;
  private final MeteringStore metering;
  private final CreditService credits;
  private final MeteringSettings settings;
  private RatingCursor cursor;
  private final Meter meter;
  private final Instant due;
  private final boolean dry;
  private final List<DeductionPosting> out;
  // Read on first use: a run that finds nothing to rate never loads them.
  private @Nullable Account account;
  private @Nullable MeterPrice price;

  /**
   * @param due the end of the last window to rate (a window boundary, see {@link #floor})
   * @param dry decide without writing: nothing is posted and no cursor is stored
   * @param out where the run reports each window it posted (or, dry, would post)
   */
  CursorRun(
      BillingStore store,
      MeteringStore metering,
      CreditService credits,
      MeteringSettings settings,
      RatingCursor cursor,
      Meter meter,
      Instant due,
      boolean dry,
      List<DeductionPosting> out) {
    this.store = store;
    this.metering = metering;
    this.credits = credits;
    this.settings = settings;
    this.cursor = cursor;
    this.meter = meter;
    this.due = due;
    this.dry = dry;
    this.out = out;
  }

  void run() {
    int casFailures = 0;
    for (int steps = 0; steps < MAX_STEPS_PER_CURSOR; steps++) {
      RatingState state = RatingState.parse(cursor.state());
      boolean moved;
      RatingState.Pending pending = state.pending;
      if (pending != null) {
        moved = confirm(state, pending);
      } else {
        Optional<Boolean> stepped = step(state);
        if (stepped.isEmpty()) {
          return;
        }
        moved = stepped.get();
      }
      if (!moved) {
        if (++casFailures > MAX_CAS_ATTEMPTS) {
          throw new BillingException(
              "rating cursor of " + cursor.key() + " kept moving; try the run again");
        }
        cursor = reread();
      }
    }
    throw new BillingException(
        "rating cursor of " + cursor.key() + " needs more than " + MAX_STEPS_PER_CURSOR + " steps");
  }

  private RatingCursor reread() {
    return metering
        .findRatingCursor(cursor.tenant(), cursor.account(), cursor.meter())
        .orElseThrow(() -> new IllegalStateException("rating cursor vanished: " + cursor.key()));
  }

  /** Posts a decided posting (idempotently) and confirms it; false if the cursor moved on. */
  private boolean confirm(RatingState state, RatingState.Pending p) {
    if (dry) {
      out.add(
          posting(
              p.windowStart(),
              p.windowEnd(),
              p.amount(),
              Optional.of(p.key()),
              p.lines(),
              p.events(),
              false));
      state.pending = null;
      cursor = cursor.advanced(cursor.ratedUntil(), cursor.ratedSequence(), state.toJson());
      return true;
    }
    post(p);
    state.pending = null;
    RatingCursor next =
        cursor.advanced(cursor.ratedUntil(), cursor.ratedSequence(), state.toJson());
    if (!metering.advanceRatingCursor(next, ratedLines(next.version(), p, Optional.of(p.key())))) {
      return false;
    }
    out.add(
        posting(
            p.windowStart(),
            p.windowEnd(),
            p.amount(),
            Optional.of(p.key()),
            p.lines(),
            p.events(),
            true));
    cursor = next;
    return true;
  }

  /**
   * Decides the next step, if one is due: empty when the cursor is up to date; true when the cursor
   * moved; false when another instance moved it first.
   */
  private Optional<Boolean> step(RatingState state) {
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
        // Nothing running and nothing late: skip the empty windows before the next usage.
        List<StoredUsageEvent> first =
            metering.windowUsage(
                cursor.tenant(),
                cursor.account(),
                cursor.meter(),
                ratedUntil,
                due,
                upTo,
                Optional.empty(),
                1);
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
      if (dry) {
        cursor = next;
        return Optional.of(true);
      }
      if (!metering.advanceRatingCursor(next, List.of())) {
        return Optional.of(false);
      }
      cursor = next;
      return Optional.of(true);
    }
    RatingCursor next = cursor.advanced(windowEnd, upTo, state.toJson());
    RatingState.Pending done =
        new RatingState.Pending(
            "", 0, windowStart, windowEnd, step.events(), "", Set.of(), step.lines());
    if (dry) {
      out.add(
          posting(windowStart, windowEnd, 0, Optional.empty(), step.lines(), step.events(), false));
      cursor = next;
      return Optional.of(true);
    }
    if (!metering.advanceRatingCursor(next, ratedLines(next.version(), done, Optional.empty()))) {
      return Optional.of(false);
    }
    if (step.events() > 0 || !step.lines().isEmpty()) {
      out.add(
          posting(windowStart, windowEnd, 0, Optional.empty(), step.lines(), step.events(), true));
    }
    cursor = next;
    return Optional.of(true);
  }

  private List<StoredUsageEvent> late(long upTo, Instant ratedUntil) {
    List<StoredUsageEvent> all = new ArrayList<>();
    long after = cursor.ratedSequence();
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

  private List<StoredUsageEvent> window(Instant from, Instant to, long upTo) {
    List<StoredUsageEvent> all = new ArrayList<>();
    if (!from.isBefore(to)) {
      return all;
    }
    Optional<MeteringStore.UsagePosition> after = Optional.empty();
    while (true) {
      List<StoredUsageEvent> page =
          metering.windowUsage(
              cursor.tenant(), cursor.account(), cursor.meter(), from, to, upTo, after, EVENT_PAGE);
      all.addAll(page);
      if (page.size() < EVENT_PAGE) {
        break;
      }
      StoredUsageEvent last = page.get(page.size() - 1);
      after =
          Optional.of(new MeteringStore.UsagePosition(last.event().occurredAt(), last.sequence()));
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

  /** Writes a decided posting to the ledger; a replay when it is there already. */
  private void post(RatingState.Pending p) {
    Actor actor = new Actor(p.actor(), p.roles());
    String reason =
        "usage of meter " + meter.key() + " in [" + p.windowStart() + ", " + p.windowEnd() + ")";
    Map<String, String> refs =
        Map.of(
            REF_METER, meter.key(),
            REF_WINDOW_START, p.windowStart().toString(),
            REF_WINDOW_END, p.windowEnd().toString(),
            REF_RATING_VERSION, p.key());
    Account account = account();
    IdempotencyKey key = IdempotencyKey.of(p.key());
    if (p.amount() > 0) {
      credits.chargeAuthorised(
          ChargeRequest.builder(
                  cursor.tenant(),
                  cursor.account(),
                  Charge.usage(meter.key(), Amount.ofMinor(account.unit(), p.amount())))
              .references(refs)
              .idempotencyKey(key)
              .actor(actor)
              .reason(reason)
              .build());
    } else {
      credits.grantAuthorised(
          GrantRequest.builder(
                  cursor.tenant(), cursor.account(), Amount.ofMinor(account.unit(), -p.amount()))
              .category(GrantCategory.ADJUSTMENT)
              .scope(Scope.meters(meter.key()))
              .name("usage re-rated down: " + meter.key())
              .metadata(refs)
              .idempotencyKey(key)
              .actor(actor)
              .reason("credit back for " + reason)
              .build());
    }
  }

  private Account account() {
    Account a = account;
    if (a == null) {
      a =
          store
              .findAccount(cursor.tenant(), cursor.account())
              .orElseThrow(() -> new AccountNotFoundException(cursor.tenant(), cursor.account()));
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
