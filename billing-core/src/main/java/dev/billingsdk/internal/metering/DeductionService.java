package dev.billingsdk.internal.metering;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.BillingException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.internal.credit.CreditService;
import dev.billingsdk.internal.event.Observation;
import dev.billingsdk.metering.DeductionPosting;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.metering.Deductions;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.UnknownMeterException;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.RatingCursor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The periodic deduction. Per (account, meter) it walks the rating cursor forward one window at a
 * time. Each window is two or three compare-and-sets on the cursor:
 *
 * <ol>
 *   <li>decide: rate the window's usage and move the cursor past it, keeping the decided posting in
 *       the cursor's state (a window that costs nothing stores its lines right away and is done);
 *   <li>post the decided posting to the ledger under an idempotency key made from the account, the
 *       meter and the cursor version, with every field taken from the stored decision;
 *   <li>confirm: move the cursor again, dropping the decision and storing the window's lines.
 * </ol>
 *
 * A crash between any two of these leaves a decision in the cursor, which the next run posts (a
 * replay if the ledger has it) and confirms; two instances deciding from the same version race on
 * the compare-and-set and one wins; both may post, and the idempotency key makes that one posting.
 * So each window's usage is rated once and posted once.
 *
 * <p>The cursors of a page move together, in rounds: each cursor's next move is read and decided,
 * the decided debits of the round are posted with one {@code chargeAll}, and every move's
 * compare-and-set is written with one {@link MeteringStore#advanceRatingCursors}. A page of cursors
 * with one window each takes two rounds (decide; post and confirm), whatever its size.
 */
public final class DeductionService implements Deductions {
  private static final int PAGE = 200;

  /** The most events of each kind (late, ahead) the page's read brings per cursor. */
  private static final int PRELOAD = 200;

  private final MeteringStore metering;
  private final CreditService credits;
  private final Clock clock;
  private final AccessPolicy access;
  private final MeteringSettings settings;
  private final KnownAccounts accounts;
  private final Observation observation;

  /**
   * The meters the deduction has read, remembered across runs as the accounts are: a meter's
   * definition never changes once stored ({@link MeteringStore#insertMeterIfAbsent}).
   */
  private final ConcurrentHashMap<String, Meter> meters = new ConcurrentHashMap<>();

  public DeductionService(
      BillingStore store,
      MeteringStore metering,
      CreditService credits,
      Clock clock,
      AccessPolicy access,
      MeteringSettings settings,
      Observation observation) {
    this.metering = metering;
    this.credits = credits;
    this.clock = clock;
    this.access = access;
    this.settings = settings;
    this.accounts = new KnownAccounts(store);
    this.observation = observation;
  }

  @Override
  public DeductionReport run() {
    return run(false);
  }

  @Override
  public DeductionReport dryRun() {
    return run(true);
  }

  /** One cursor of a page: its run, once it has one, and what the run ended with. */
  private static final class Slot {
    final RatingCursor cursor;
    @Nullable CursorRun run;
    CursorRun.@Nullable Move move;
    DeductionReport.@Nullable Failure failure;

    Slot(RatingCursor cursor) {
      this.cursor = cursor;
    }

    boolean active() {
      return run != null && failure == null;
    }
  }

  private DeductionReport run(boolean dry) {
    Instant now = clock.instant();
    Instant due = CursorRun.floor(now, settings.deductionInterval());
    List<DeductionPosting> postings = new ArrayList<>();
    List<DeductionReport.Failure> failures = new ArrayList<>();
    Set<TenantId> authorised = new HashSet<>();
    Optional<RatingCursor.Key> after = Optional.empty();
    // Where the least advanced cursor that failed stands: the run's lag (BillingObserver).
    Instant oldest = null;
    while (true) {
      List<RatingCursor> page = metering.ratingCursors(after, PAGE);
      List<Slot> slots = new ArrayList<>(page.size());
      for (RatingCursor c : page) {
        Slot slot = new Slot(c);
        slots.add(slot);
        try {
          if (authorised.add(c.tenant())) {
            access.check(settings.actor(), Operation.RATE_USAGE, c.tenant());
          }
          String mk = c.tenant().value() + "\u0000" + c.meter();
          Meter meter = meters.get(mk);
          if (meter == null) {
            meter =
                metering
                    .findMeter(c.tenant(), c.meter())
                    .orElseThrow(() -> new UnknownMeterException(c.tenant(), c.meter()));
            if (meters.size() < KnownAccounts.LIMIT) {
              meters.putIfAbsent(mk, meter);
            }
          }
          slot.run = new CursorRun(accounts, metering, settings, c, meter, due, dry);
        } catch (RuntimeException e) {
          fail(slot, e);
        }
      }
      runPage(slots, due);
      for (Slot slot : slots) {
        CursorRun run = slot.run;
        if (run != null) {
          postings.addAll(run.postings());
        }
        DeductionReport.Failure failure = slot.failure;
        if (failure != null) {
          failures.add(failure);
          if (observation.active()) {
            Instant behind = unpostedFrom(run != null ? run.cursor() : slot.cursor);
            if (oldest == null || behind.isBefore(oldest)) {
              oldest = behind;
            }
          }
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1).key());
    }
    DeductionReport report = new DeductionReport(now, due, dry, postings, failures);
    observation.deductionRan(
        report,
        oldest == null || !oldest.isBefore(due) ? Duration.ZERO : Duration.between(oldest, due));
    return report;
  }

  /**
   * Rounds over a page until every run is up to date or has failed. The page's usage is read first,
   * in one {@link MeteringStore#pendingUsage}, so a round's decisions read nothing more unless a
   * cursor has more than {@value #PRELOAD} events pending.
   */
  private void runPage(List<Slot> slots, Instant due) {
    List<Slot> active = new ArrayList<>();
    List<RatingCursor> cursors = new ArrayList<>();
    for (Slot slot : slots) {
      if (slot.active()) {
        active.add(slot);
        cursors.add(slot.cursor);
      }
    }
    if (active.isEmpty()) {
      return;
    }
    List<MeteringStore.PendingUsage> pending;
    try {
      pending = metering.pendingUsage(cursors, due, PRELOAD);
    } catch (RuntimeException e) {
      for (Slot slot : active) {
        fail(slot, e);
      }
      return;
    }
    for (int i = 0; i < active.size(); i++) {
      runOf(active.get(i)).preload(pending.get(i), PRELOAD);
    }
    while (!active.isEmpty()) {
      // Decide: each run's next move, from reads only (a dry run finishes here).
      List<Slot> moving = new ArrayList<>();
      for (Slot slot : active) {
        try {
          Optional<CursorRun.Move> move = runOf(slot).next();
          if (move.isPresent()) {
            slot.move = move.get();
            moving.add(slot);
          }
        } catch (RuntimeException e) {
          fail(slot, e);
        }
      }
      // Post: the round's decided postings, before the steps that confirm them.
      post(moving);
      // Write: every move's compare-and-set in one call.
      List<Slot> writing = new ArrayList<>();
      List<MeteringStore.CursorStep> steps = new ArrayList<>();
      for (Slot slot : moving) {
        if (slot.failure == null) {
          writing.add(slot);
          steps.add(moveOf(slot).step);
        }
      }
      List<Boolean> moved;
      try {
        moved = steps.isEmpty() ? List.of() : metering.advanceRatingCursors(steps);
      } catch (RuntimeException e) {
        for (Slot slot : writing) {
          fail(slot, e);
        }
        return;
      }
      active = new ArrayList<>();
      for (int i = 0; i < writing.size(); i++) {
        Slot slot = writing.get(i);
        try {
          runOf(slot).written(moveOf(slot), moved.get(i));
          active.add(slot);
        } catch (RuntimeException e) {
          fail(slot, e);
        }
        slot.move = null;
      }
    }
  }

  /**
   * Posts the decided postings of a round: the debits with one {@code chargeAll} (replays where the
   * ledger has them already), the credits back one by one. A refused posting fails its cursor,
   * whose decision stays for the next run.
   */
  private void post(List<Slot> moving) {
    List<Slot> charged = new ArrayList<>();
    List<ChargeRequest> charges = new ArrayList<>();
    for (Slot slot : moving) {
      CursorRun.Move move = moveOf(slot);
      RatingState.Pending p = move.post;
      if (p == null) {
        continue;
      }
      try {
        if (p.amount() > 0) {
          charges.add(runOf(slot).charge(p));
          charged.add(slot);
        } else {
          credits.grantAuthorised(runOf(slot).creditBack(p));
        }
      } catch (RuntimeException e) {
        fail(slot, e);
      }
    }
    for (int from = 0; from < charges.size(); from += Credits.MAX_BATCH) {
      int to = Math.min(charges.size(), from + Credits.MAX_BATCH);
      List<ChargeOutcome> outcomes;
      try {
        outcomes = credits.chargeAllAuthorised(charges.subList(from, to));
      } catch (RuntimeException e) {
        for (Slot slot : charged.subList(from, to)) {
          fail(slot, e);
        }
        continue;
      }
      for (int i = from; i < to; i++) {
        if (outcomes.get(i - from) instanceof ChargeOutcome.Refused r) {
          fail(charged.get(i), r.reason());
        }
      }
    }
  }

  /**
   * Where the usage of {@code cursor} stops being posted: the start of the window whose posting is
   * decided but not yet made, or else where the cursor is rated until.
   */
  private static Instant unpostedFrom(RatingCursor cursor) {
    RatingState.Pending pending;
    try {
      pending = RatingState.parse(cursor.state()).pending;
    } catch (RuntimeException unreadable) {
      // The state may be why the cursor failed; its watermark is then the best answer.
      return cursor.ratedUntil();
    }
    return pending != null ? pending.windowStart() : cursor.ratedUntil();
  }

  private static CursorRun runOf(Slot slot) {
    return Objects.requireNonNull(slot.run, "a moving slot has a run");
  }

  private static CursorRun.Move moveOf(Slot slot) {
    return Objects.requireNonNull(slot.move, "a moving slot has a move");
  }

  /**
   * Ends a cursor's run with a failure in the report; anything but a billing or state failure is
   * thrown on (a bug, not a cursor's problem).
   */
  private static void fail(Slot slot, RuntimeException e) {
    RatingCursor c = slot.cursor;
    if (e instanceof BillingException || e instanceof IllegalStateException) {
      slot.failure =
          new DeductionReport.Failure(
              c.tenant(), c.account(), c.meter(), String.valueOf(e.getMessage()), e);
      return;
    }
    if (e instanceof ArithmeticException) {
      // Rating reports its own overflows typed; anything else that leaves a long still gets a
      // typed cause, never the raw ArithmeticException.
      AmountOverflowException typed =
          new AmountOverflowException(
              "the deduction of meter "
                  + c.meter()
                  + " for account "
                  + c.account()
                  + " in tenant "
                  + c.tenant()
                  + " ("
                  + e.getMessage()
                  + ")");
      typed.initCause(e);
      slot.failure =
          new DeductionReport.Failure(
              c.tenant(), c.account(), c.meter(), String.valueOf(typed.getMessage()), typed);
      return;
    }
    throw e;
  }
}
