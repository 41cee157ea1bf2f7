package dev.billingsdk.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.OutboxEntry;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store that forwards everything to a real one (ledger and metering), but can be told to "crash"
 * once, at the Nth call of one of the three writes a deduction step makes: the cursor's decide
 * compare-and-set, the ledger commit (a single commit or a round's batch), or the confirm
 * compare-and-set (each step of a page, as the default {@code advanceRatingCursors} sends them).
 * The crash throws either before the call reaches the real store (the write is lost) or after (the
 * write is durable but the caller never hears of it): a process dying at that point.
 */
final class CrashingMeteringStore implements BillingStore, MeteringStore {

  /** The simulated crash. */
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash(String message) {
      super(message);
    }
  }

  /** The writes of a deduction step. */
  enum Point {
    /** The compare-and-set that moves the cursor past a window and keeps the decided posting. */
    DECIDE,
    /** The ledger commit of the posting. */
    COMMIT,
    /**
     * The compare-and-set that drops the decision and stores the lines (also the only one of a step
     * that costs nothing).
     */
    CONFIRM
  }

  /** Whether the crashing call reached the real store. */
  enum When {
    BEFORE,
    AFTER
  }

  private final InMemoryBillingStore real;
  private final Map<Point, Integer> calls = new EnumMap<>(Point.class);
  private Point crashPoint;
  private int crashAt;
  private When when;
  private boolean crashed;

  CrashingMeteringStore(InMemoryBillingStore real) {
    this.real = real;
  }

  /** The {@code nth} call (1 = the first) of {@code point} from now on throws {@link Crash}. */
  synchronized void crashAt(Point point, int nth, When when) {
    this.crashPoint = point;
    this.crashAt = nth;
    this.when = when;
    this.crashed = false;
    calls.clear();
  }

  /** Counts the points' calls from zero again, and crashes nowhere. */
  synchronized void countFromNow() {
    this.crashPoint = null;
    this.crashed = false;
    calls.clear();
  }

  /** How often each point was called since the last {@link #crashAt} (or since the start). */
  synchronized Map<Point, Integer> calls() {
    return Map.copyOf(calls);
  }

  synchronized boolean crashed() {
    return crashed;
  }

  private synchronized boolean crashNow(Point point) {
    int n = calls.merge(point, 1, Integer::sum);
    if (!crashed && point == crashPoint && n == crashAt) {
      crashed = true;
      return true;
    }
    return false;
  }

  private static Point pointOf(RatingCursor next) {
    return next.state().contains("\"pending\":{") ? Point.DECIDE : Point.CONFIRM;
  }

  // ---------------------------------------------------------------- the crashing writes

  @Override
  public boolean advanceRatingCursor(RatingCursor next, List<RatedLine> lines) {
    Point point = pointOf(next);
    boolean crash = crashNow(point);
    if (crash && when == When.BEFORE) {
      throw new Crash("crashed before the " + point + " of cursor version " + next.version());
    }
    boolean moved = real.advanceRatingCursor(next, lines);
    if (crash) {
      throw new Crash("crashed after the " + point + " of cursor version " + next.version());
    }
    return moved;
  }

  @Override
  public CommitResult commit(LedgerWrite write) {
    boolean crash = crashNow(Point.COMMIT);
    if (crash && when == When.BEFORE) {
      throw new Crash("crashed before committing " + write.transaction().idempotencyKey());
    }
    CommitResult result = real.commit(write);
    if (crash) {
      throw new Crash("crashed after committing " + write.transaction().idempotencyKey());
    }
    return result;
  }

  /** The deduction posts a round's debits as one batch: the batch is one COMMIT call. */
  @Override
  public List<CommitResult> commitBatch(List<LedgerWrite> writes) {
    boolean crash = crashNow(Point.COMMIT);
    if (crash && when == When.BEFORE) {
      throw new Crash("crashed before committing a batch of " + writes.size());
    }
    List<CommitResult> results = real.commitBatch(writes);
    if (crash) {
      throw new Crash("crashed after committing a batch of " + writes.size());
    }
    return results;
  }

  // ---------------------------------------------------------------- plain forwarding: ledger

  @Override
  public long nextSequence() {
    return real.nextSequence();
  }

  @Override
  public Account insertAccountIfAbsent(Account account) {
    return real.insertAccountIfAbsent(account);
  }

  @Override
  public Optional<Account> findAccount(TenantId tenant, AccountId account) {
    return real.findAccount(tenant, account);
  }

  @Override
  public Optional<AccountSnapshot> loadAccount(TenantId tenant, AccountId account) {
    return real.loadAccount(tenant, account);
  }

  @Override
  public List<GrantBalance> grants(TenantId tenant, AccountId account) {
    return real.grants(tenant, account);
  }

  @Override
  public Optional<GrantBalance> findGrant(TenantId tenant, GrantId grant) {
    return real.findGrant(tenant, grant);
  }

  @Override
  public List<dev.billingsdk.credit.GrantCategory> grantCategories(
      TenantId tenant, AccountId account) {
    return real.grantCategories(tenant, account);
  }

  @Override
  public Optional<Account> findAccountByKey(TenantId tenant, String externalKey) {
    return real.findAccountByKey(tenant, externalKey);
  }

  @Override
  public Optional<LedgerTransaction> findTransaction(TenantId tenant, IdempotencyKey key) {
    return real.findTransaction(tenant, key);
  }

  @Override
  public Optional<LedgerTransaction> findTransaction(TenantId tenant, TransactionId id) {
    return real.findTransaction(tenant, id);
  }

  @Override
  public List<LedgerTransaction> transactions(TenantId tenant, AccountId account) {
    return real.transactions(tenant, account);
  }

  @Override
  public List<LedgerTransaction> history(
      TenantId tenant,
      AccountId account,
      TransactionFilter filter,
      long beforeSequence,
      int limit) {
    return real.history(tenant, account, filter, beforeSequence, limit);
  }

  @Override
  public List<LedgerTransaction> corrections(TenantId tenant, TransactionId original) {
    return real.corrections(tenant, original);
  }

  @Override
  public Optional<Reservation> findReservation(TenantId tenant, ReservationId id) {
    return real.findReservation(tenant, id);
  }

  @Override
  public List<GrantBalance> expiredGrants(
      TenantId tenant, Instant at, long afterSequence, int limit) {
    return real.expiredGrants(tenant, at, afterSequence, limit);
  }

  @Override
  public List<Reservation> expiredReservations(
      TenantId tenant, Instant at, long afterSequence, int limit) {
    return real.expiredReservations(tenant, at, afterSequence, limit);
  }

  @Override
  public boolean updateAlert(
      TenantId tenant, AccountId account, Optional<AlertState> alert, long expectedVersion) {
    return real.updateAlert(tenant, account, alert, expectedVersion);
  }

  @Override
  public List<OutboxEntry> pendingEvents(int limit) {
    return real.pendingEvents(limit);
  }

  @Override
  public void acknowledgeEvents(Collection<Long> positions) {
    real.acknowledgeEvents(positions);
  }

  // ---------------------------------------------------------------- plain forwarding: metering

  @Override
  public Meter insertMeterIfAbsent(Meter meter) {
    return real.insertMeterIfAbsent(meter);
  }

  @Override
  public Optional<Meter> findMeter(TenantId tenant, String key) {
    return real.findMeter(tenant, key);
  }

  @Override
  public List<Meter> meters(TenantId tenant) {
    return real.meters(tenant);
  }

  @Override
  public List<IngestOutcome> ingest(List<StoredUsageEvent> events) {
    return real.ingest(events);
  }

  @Override
  public Optional<StoredUsageEvent> findUsageEvent(TenantId tenant, String id) {
    return real.findUsageEvent(tenant, id);
  }

  @Override
  public Optional<RatingCursor> findRatingCursor(TenantId tenant, AccountId account, String meter) {
    return real.findRatingCursor(tenant, account, meter);
  }

  @Override
  public List<RatingCursor> ratingCursors(Optional<RatingCursor.Key> after, int limit) {
    return real.ratingCursors(after, limit);
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
    return real.lateUsage(
        tenant, account, meter, afterSequence, upToSequence, occurredBefore, limit);
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
    return real.windowUsage(tenant, account, meter, from, to, upToSequence, after, limit);
  }

  @Override
  public List<RatedLine> ratedLines(
      TenantId tenant, AccountId account, String meter, long cursorVersion) {
    return real.ratedLines(tenant, account, meter, cursorVersion);
  }

  @Override
  public List<UsageSummaryRow> usageSummary(UsageSummaryQuery query) {
    return real.usageSummary(query);
  }
}
