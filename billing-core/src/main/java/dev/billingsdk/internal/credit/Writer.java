package dev.billingsdk.internal.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BillingException;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.ConcurrentUpdateException;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.event.BalanceBelowThreshold;
import dev.billingsdk.event.BalanceRecovered;
import dev.billingsdk.internal.event.Events;
import dev.billingsdk.internal.event.Observation;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.UnitMismatchException;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.LiveGrants;
import dev.billingsdk.spi.StoreRejectedException;
import dev.billingsdk.spi.WriteBasis;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The write protocol every service shares, read top to bottom in {@link #write}: read the
 * idempotency key and the account in one store call, expire the account's reservations that are
 * past their time-to-live, decide in memory, evaluate the low-balance alert on the outcome, commit
 * with the snapshot's version, publish the committed events; on a version conflict read and decide
 * again (bounded, with jittered back-off). Everything it needs is given at construction.
 */
public final class Writer {
  final BillingStore store;
  final Clock clock;
  final IdGenerator ids;
  final Comparator<Grant> order;
  private final int maxAttempts;
  private final Events events;
  final Observation observation;
  private final ReservationExpiry expiry;

  /**
   * A writer on {@code store}. It expires an account's reservations that are past their
   * time-to-live before every decision and every settled read ({@link ReservationExpiry}, built
   * here), so that no decision counts on a hold that has run out.
   */
  public Writer(
      BillingStore store,
      Clock clock,
      IdGenerator ids,
      Comparator<Grant> order,
      int maxAttempts,
      Events events,
      Observation observation) {
    this.store = store;
    this.clock = clock;
    this.ids = ids;
    this.order = order;
    this.maxAttempts = maxAttempts;
    this.events = events;
    this.observation = observation;
    this.expiry = new ReservationExpiry(this);
  }

  /** The reservation expiry this writer runs before every decision. */
  public ReservationExpiry expiry() {
    return expiry;
  }

  /** How often a write is tried when the account keeps changing under it. */
  int maxAttempts() {
    return maxAttempts;
  }

  /** Hands committed events to the listeners, as {@link #write} does after its commit. */
  void dispatch(List<dev.billingsdk.event.BillingEvent> committed) {
    events.dispatch(committed);
  }

  /**
   * A decided write and how to turn its committed transaction into the caller's result; or, with no
   * write, the answer itself (the request needs no write).
   */
  record Decision<R>(Optional<LedgerWrite> write, Function<LedgerTransaction, R> result) {
    Decision(LedgerWrite write, Function<LedgerTransaction, R> result) {
      this(Optional.of(write), result);
    }

    static <R> Decision<R> answered(R answer) {
      return new Decision<>(Optional.empty(), ignored -> answer);
    }
  }

  @FunctionalInterface
  interface Decider<R> {
    Decision<R> decide(AccountSnapshot snapshot, Instant now);
  }

  /**
   * Writes what {@code decider} decides, top to bottom: read the key and the account in one go (a
   * used key replays or conflicts), expire what is due first, decide, add the alert, commit with
   * the snapshot's version, publish the committed events. On a version conflict it backs off and
   * does it all again, at most {@code maxAttempts} times.
   */
  <R> R write(
      TenantId tenant,
      AccountId account,
      IdempotencyKey key,
      String fingerprint,
      Function<LedgerTransaction, R> replay,
      Decider<R> decider) {
    return write(tenant, account, key, fingerprint, replay, decider, true);
  }

  /**
   * {@link #write}, but deciding on the account as read, without expiring its due reservations
   * first: how the expiry itself writes, so that it never recurses.
   */
  <R> R writeAsRead(
      TenantId tenant,
      AccountId account,
      IdempotencyKey key,
      String fingerprint,
      Function<LedgerTransaction, R> replay,
      Decider<R> decider) {
    return write(tenant, account, key, fingerprint, replay, decider, false);
  }

  private <R> R write(
      TenantId tenant,
      AccountId account,
      IdempotencyKey key,
      String fingerprint,
      Function<LedgerTransaction, R> replay,
      Decider<R> decider,
      boolean expireFirst) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(key, "idempotencyKey");
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      WriteBasis basis = store.readForWrite(tenant, account, key);
      if (basis.known().isPresent()) {
        return replayOrConflict(basis.known().get(), fingerprint, replay);
      }
      AccountSnapshot snapshot =
          basis.snapshot().orElseThrow(() -> new AccountNotFoundException(tenant, account));
      Instant now = clock.instant();
      if (expireFirst && expiry.expireDue(snapshot, now)) {
        continue; // the account moved on: read it again
      }
      Decision<R> decision;
      try {
        decision = decider.decide(snapshot, now);
      } catch (BillingException refused) {
        // A twin of this request (same key) may have committed after the key was looked up and
        // before the account was read: then the account shows its effect and the request seems
        // refused, but its answer is the twin's transaction.
        Optional<LedgerTransaction> twin = store.findTransaction(tenant, key);
        if (twin.isPresent()) {
          return replayOrConflict(twin.get(), fingerprint, replay);
        }
        throw refused;
      }
      if (decision.write().isEmpty()) {
        return decision.result().apply(null);
      }
      LedgerWrite write = withAlert(snapshot, decision.write().get(), now);
      CommitResult outcome = commit(tenant, write);
      if (outcome instanceof CommitResult.Committed committed) {
        events.dispatch(write.events());
        return decision.result().apply(committed.transaction());
      } else if (outcome instanceof CommitResult.Duplicate duplicate) {
        return replayOrConflict(duplicate.existing(), fingerprint, replay);
      } else if (outcome instanceof CommitResult.Rejected rejected) {
        throw failed(tenant, new StoreRejectedException(rejected.reason()));
      }
      if (attempt < maxAttempts) {
        observation.ledgerWriteRetried(tenant, attempt + 1);
      }
      backOff(attempt);
    }
    throw failed(tenant, new ConcurrentUpdateException(tenant, account, maxAttempts));
  }

  /** {@code store.commit(write)}, its latency observed; a store that throws is a write failed. */
  private CommitResult commit(TenantId tenant, LedgerWrite write) {
    long start = observation.ticks();
    CommitResult outcome;
    try {
      outcome = store.commit(write);
    } catch (RuntimeException e) {
      observation.ledgerCommitted(1, start, true);
      throw failed(tenant, e);
    }
    observation.ledgerCommitted(1, start, false);
    return outcome;
  }

  /** Tells the observer that a write of {@code tenant} gave up with {@code failure}. */
  <E extends RuntimeException> E failed(TenantId tenant, E failure) {
    observation.ledgerWriteFailed(tenant, failure);
    return failure;
  }

  /**
   * A snapshot with no reservation past its time-to-live at {@code now}: those are expired first
   * (each exactly once, under its own key), which is how a read sees them released.
   */
  AccountSnapshot settledSnapshot(TenantId tenant, AccountId account, Instant now) {
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      AccountSnapshot snapshot = snapshot(tenant, account);
      if (!expiry.expireDue(snapshot, now)) {
        return snapshot;
      }
    }
    throw new ConcurrentUpdateException(tenant, account, maxAttempts);
  }

  /** Applies {@code update} to the account's alert with the same retry discipline as writes. */
  void updateAlert(
      TenantId tenant, AccountId account, Function<AccountSnapshot, Optional<AlertState>> update) {
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      AccountSnapshot snapshot = snapshot(tenant, account);
      if (store.updateAlert(tenant, account, update.apply(snapshot), snapshot.version())) {
        return;
      }
      backOff(attempt);
    }
    throw new ConcurrentUpdateException(tenant, account, maxAttempts);
  }

  static <R> R replayOrConflict(
      LedgerTransaction prior, String fingerprint, Function<LedgerTransaction, R> replay) {
    if (!prior.fingerprint().equals(fingerprint)) {
      throw new IdempotencyConflictException(prior.tenant(), prior.idempotencyKey(), prior.id());
    }
    return replay.apply(prior);
  }

  static void backOff(int attempt) {
    if (attempt < 3) {
      Thread.onSpinWait();
      return;
    }
    long ceilingNanos = Math.min(1_000_000L, 1_000L << Math.min(attempt, 10));
    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(ceilingNanos));
  }

  // ---------------------------------------------------------------- low-balance alert

  /**
   * Adds the alert transition this write causes, if any: below the threshold from an armed state
   * fires once; back at the re-arm level from a fired state recovers and re-arms.
   */
  LedgerWrite withAlert(AccountSnapshot snapshot, LedgerWrite write, Instant now) {
    if (snapshot.alert().isEmpty()) {
      return write;
    }
    AlertState state = snapshot.alert().get();
    Amount after = spendableAfter(snapshot, write, now);
    LedgerTransaction t = write.transaction();
    if (!state.below() && after.compareTo(state.alert().threshold()) < 0) {
      return write
          .withAlert(new AlertState(state.alert(), true))
          .withEvents(
              List.of(
                  new BalanceBelowThreshold(
                      eventId(t, "balance-below-threshold"),
                      t.tenant(),
                      t.account(),
                      t.recordedAt(),
                      after,
                      state.alert().threshold(),
                      t.id())));
    }
    if (state.below() && after.compareTo(state.alert().rearmAt()) >= 0) {
      return write
          .withAlert(new AlertState(state.alert(), false))
          .withEvents(
              List.of(
                  new BalanceRecovered(
                      eventId(t, "balance-recovered"),
                      t.tenant(),
                      t.account(),
                      t.recordedAt(),
                      after,
                      state.alert().rearmAt(),
                      t.id())));
    }
    return write;
  }

  /** Available credit minus debt: what the account can spend now, without its overdraft. */
  static Amount spendable(AccountSnapshot snapshot, Instant now) {
    long sum = snapshot.overdraft().minor();
    for (GrantBalance g : snapshot.liveGrants()) {
      if (g.isAvailableAt(now)) {
        sum = Math.addExact(sum, g.remaining().minor());
      }
    }
    return Amount.ofMinor(snapshot.account().unit(), sum);
  }

  /** {@link #spendable} as it will be once {@code write} is applied to {@code snapshot}. */
  Amount spendableAfter(AccountSnapshot snapshot, LedgerWrite write, Instant now) {
    Map<GrantId, GrantBalance> grants = new HashMap<>();
    for (GrantBalance g : snapshot.liveGrants()) {
      grants.put(g.grant().id(), g);
    }
    for (Grant g : write.newGrants()) {
      grants.put(g.id(), new GrantBalance(g, Amount.zero(g.amount().unit()), false));
    }
    Map<GrantId, Long> deltas = write.grantDeltas();
    Set<GrantId> voided = new HashSet<>(write.voidedGrants());
    long sum = Math.addExact(snapshot.overdraft().minor(), write.overdraftDelta());
    Set<GrantId> seen = new HashSet<>();
    for (GrantBalance g : grants.values()) {
      GrantId id = g.grant().id();
      seen.add(id);
      long remaining = Math.addExact(g.remaining().minor(), deltas.getOrDefault(id, 0L));
      boolean isVoid = g.voided() || voided.contains(id);
      if (!isVoid && remaining > 0 && g.grant().isActiveAt(now)) {
        sum = Math.addExact(sum, remaining);
      }
    }
    // A grant with no remainder in the snapshot that gets credit back (a restoration) is not in
    // the snapshot's live grants; the restorer always expires or voids credit that could not be
    // spent, so what lands on such a grant is spendable only if the grant is active.
    for (Map.Entry<GrantId, Long> d : deltas.entrySet()) {
      if (!seen.contains(d.getKey()) && d.getValue() > 0) {
        Optional<GrantBalance> g = store.findGrant(snapshot.account().tenant(), d.getKey());
        if (g.isPresent()
            && !g.get().voided()
            && !voided.contains(d.getKey())
            && g.get().grant().isActiveAt(now)) {
          sum = Math.addExact(sum, d.getValue());
        }
      }
    }
    return Amount.ofMinor(snapshot.account().unit(), sum);
  }

  /**
   * {@code snapshot} as the store will hold it once {@code write} is applied: grant balances moved
   * by the postings (a grant left with nothing drops out of the live grants), new and voided
   * grants, the overdraft, reservations opened and resolved, the alert state, and the next version.
   * A batch decides its later writes to the same account on this, as if the earlier ones had been
   * committed one by one.
   */
  AccountSnapshot applied(AccountSnapshot snapshot, LedgerWrite write) {
    Map<GrantId, Long> deltas = new HashMap<>(write.grantDeltas());
    Set<GrantId> voided = write.voidedGrants();
    List<GrantBalance> live = new ArrayList<>();
    for (GrantBalance g : snapshot.liveGrants()) {
      GrantId id = g.grant().id();
      Long delta = deltas.remove(id);
      long remaining = Math.addExact(g.remaining().minor(), delta == null ? 0 : delta);
      if (remaining != 0) {
        live.add(
            new GrantBalance(
                g.grant(),
                Amount.ofMinor(g.remaining().unit(), remaining),
                g.voided() || voided.contains(id)));
      }
    }
    for (Grant g : write.newGrants()) {
      Long delta = deltas.remove(g.id());
      if (delta != null && delta != 0) {
        live.add(
            new GrantBalance(g, Amount.ofMinor(g.amount().unit(), delta), voided.contains(g.id())));
      }
    }
    for (Map.Entry<GrantId, Long> d : deltas.entrySet()) {
      if (d.getValue() == 0) {
        continue;
      }
      // Credit back on a grant the snapshot held as spent.
      GrantBalance g =
          store
              .findGrant(snapshot.account().tenant(), d.getKey())
              .orElseThrow(
                  () -> new StoreRejectedException("write names an unknown grant " + d.getKey()));
      live.add(
          new GrantBalance(
              g.grant(),
              Amount.ofMinor(g.remaining().unit(), d.getValue()),
              g.voided() || voided.contains(d.getKey())));
    }
    List<Reservation> reservations = new ArrayList<>();
    for (Reservation r : snapshot.reservations()) {
      if (!write.resolvedReservations().containsKey(r.id())) {
        reservations.add(r);
      }
    }
    reservations.addAll(write.newReservations());
    return new AccountSnapshot(
        snapshot.account(),
        live,
        Amount.ofMinor(
            snapshot.overdraft().unit(),
            Math.addExact(snapshot.overdraft().minor(), write.overdraftDelta())),
        reservations,
        write.alert().isPresent() ? write.alert() : snapshot.alert(),
        snapshot.version() + 1);
  }

  static String eventId(LedgerTransaction t, String what) {
    return t.id().value() + "/" + what;
  }

  // ---------------------------------------------------------------- helpers

  AccountSnapshot snapshot(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return store
        .loadAccount(tenant, account)
        .orElseThrow(() -> new AccountNotFoundException(tenant, account));
  }

  /** Checks the account exists without copying its grants, as a snapshot would. */
  void requireAccount(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    if (store.findAccount(tenant, account).isEmpty()) {
      throw new AccountNotFoundException(tenant, account);
    }
  }

  /** Grants plus reservations plus overdraft: the account's whole balance. */
  static Amount totalOf(AccountSnapshot snapshot) {
    Amount total = snapshot.overdraft().plus(snapshot.reserved());
    // Live remainders are positive, so adding them one by one overflows exactly when adding their
    // sum does: a store's list carries that sum (when it fits a long).
    // When it would overflow, the loop below fails as it always did.
    if (snapshot.liveGrants() instanceof LiveGrants listed
        && listed.remainingFits()
        && !addOverflows(total.minor(), listed.remainingMinor())) {
      return Amount.ofMinor(total.unit(), total.minor() + listed.remainingMinor());
    }
    for (GrantBalance g : snapshot.liveGrants()) {
      total = total.plus(g.remaining());
    }
    return total;
  }

  private static boolean addOverflows(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0;
  }

  static void requireUnit(Account account, Amount amount) {
    if (!account.unit().equals(amount.unit())) {
      throw new UnitMismatchException(account.unit(), amount.unit());
    }
  }

  static LedgerAccount counter(LedgerAccount.Kind kind) {
    return LedgerAccount.counter(kind);
  }

  LedgerTransaction transaction(
      TenantId tenant,
      AccountId account,
      TransactionType type,
      IdempotencyKey key,
      String fingerprint,
      Actor actor,
      String reason,
      Instant now,
      List<Posting> postings,
      Map<String, String> references) {
    return transaction(
        tenant, account, type, key, fingerprint, actor, reason, now, now, postings, references);
  }

  LedgerTransaction transaction(
      TenantId tenant,
      AccountId account,
      TransactionType type,
      IdempotencyKey key,
      String fingerprint,
      Actor actor,
      String reason,
      Instant now,
      Instant effectiveAt,
      List<Posting> postings,
      Map<String, String> references) {
    return new LedgerTransaction(
        TransactionId.of(ids.next("txn_")),
        tenant,
        account,
        type,
        key,
        fingerprint,
        actor,
        reason,
        now,
        effectiveAt,
        postings,
        references,
        store.nextSequence());
  }

  /** The active reservations of the snapshot that are past their time-to-live at {@code now}. */
  static List<Reservation> due(AccountSnapshot snapshot, Instant now) {
    List<Reservation> due = new ArrayList<>();
    for (Reservation r : snapshot.reservations()) {
      if (!r.isHoldingAt(now)) {
        due.add(r);
      }
    }
    due.sort(Comparator.comparingLong(Reservation::sequence));
    return due;
  }
}
