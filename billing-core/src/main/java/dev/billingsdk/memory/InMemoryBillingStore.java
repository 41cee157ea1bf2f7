package dev.billingsdk.memory;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.LiveGrants;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.OutboxEntry;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import dev.billingsdk.spi.WriteRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link BillingStore} in memory. Each account has a lock; a write holds its account's lock from
 * the precondition checks to the last balance it moves, and a batch takes its accounts' locks in
 * one fixed order (tenant, then account id), so writers never deadlock. Idempotency keys and grant
 * ids are claimed with atomic map operations, so they are unique across accounts too.
 */
public final class InMemoryBillingStore implements BillingStore, MeteringStore {
  private static final Comparator<AccountState> LOCK_ORDER =
      Comparator.comparing((AccountState s) -> s.account.tenant().value())
          .thenComparing(s -> s.account.id().value());

  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentMap<TenantId, TenantState> tenants = new ConcurrentHashMap<>();
  private final AtomicLong outboxPosition = new AtomicLong();
  private final ConcurrentNavigableMap<Long, BillingEvent> outbox = new ConcurrentSkipListMap<>();

  private final InMemoryMetering metering = new InMemoryMetering();

  // The order live grants are listed in: creation sequence until a Billing offers its order.
  private volatile Comparator<Grant> grantOrder = LiveGrants.bySequence();
  private boolean orderOffered; // guarded by this

  private InMemoryBillingStore() {}

  // ---------------------------------------------------------------- metering (MeteringStore)

  @Override
  public Meter insertMeterIfAbsent(Meter meter) {
    return metering.insertMeterIfAbsent(meter);
  }

  @Override
  public Optional<Meter> findMeter(TenantId tenant, String key) {
    return metering.findMeter(tenant, key);
  }

  @Override
  public List<Meter> meters(TenantId tenant) {
    return metering.meters(tenant);
  }

  @Override
  public List<IngestOutcome> ingest(List<StoredUsageEvent> events) {
    return metering.ingest(events);
  }

  @Override
  public Optional<StoredUsageEvent> findUsageEvent(TenantId tenant, String id) {
    return metering.findUsageEvent(tenant, id);
  }

  @Override
  public Optional<RatingCursor> findRatingCursor(TenantId tenant, AccountId account, String meter) {
    return metering.findRatingCursor(tenant, account, meter);
  }

  @Override
  public List<RatingCursor> ratingCursors(Optional<RatingCursor.Key> after, int limit) {
    return metering.ratingCursors(after, limit);
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
    return metering.lateUsage(
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
    return metering.windowUsage(tenant, account, meter, from, to, upToSequence, after, limit);
  }

  @Override
  public boolean advanceRatingCursor(RatingCursor next, List<RatedLine> lines) {
    return metering.advanceRatingCursor(next, lines);
  }

  @Override
  public List<RatedLine> ratedLines(
      TenantId tenant, AccountId account, String meter, long cursorVersion) {
    return metering.ratedLines(tenant, account, meter, cursorVersion);
  }

  @Override
  public List<UsageSummaryRow> usageSummary(UsageSummaryQuery query) {
    return metering.usageSummary(query);
  }

  public static InMemoryBillingStore create() {
    return new InMemoryBillingStore();
  }

  private static final class TenantState {
    final ConcurrentMap<AccountId, AccountState> accounts = new ConcurrentHashMap<>();
    // External key to account; written with accounts under the tenant's monitor.
    final ConcurrentMap<String, AccountState> byExternalKey = new ConcurrentHashMap<>();
    final ConcurrentMap<IdempotencyKey, LedgerTransaction> byKey = new ConcurrentHashMap<>();
    final ConcurrentMap<GrantId, AccountState> grantOwners = new ConcurrentHashMap<>();
    final ConcurrentMap<TransactionId, LedgerTransaction> byId = new ConcurrentHashMap<>();
    final ConcurrentMap<TransactionId, List<LedgerTransaction>> corrections =
        new ConcurrentHashMap<>();
    final ConcurrentMap<ReservationId, Reservation> reservations = new ConcurrentHashMap<>();
    // Claimed atomically, like grant ids, so that two accounts can never open the same id.
    final Set<ReservationId> reservationIds = ConcurrentHashMap.newKeySet();
  }

  private static final class AccountState {
    final ReentrantLock lock = new ReentrantLock();
    final Account account;
    // Guarded by lock.
    long version;
    long overdraft;
    // The same as an Amount, for snapshots.
    Amount overdraftAmount;
    final Map<GrantId, GrantBalance> grants = new LinkedHashMap<>();
    // The grants with a non-zero remainder, in the order of the list (see orderGrantsBy): handed to
    // every snapshot as it is and replaced whole by a write, never changed.
    LiveGrants live;
    final List<LedgerTransaction> transactions = new ArrayList<>();
    final Map<ReservationId, Reservation> active = new LinkedHashMap<>();
    // active's values as an immutable list, for snapshots; replaced when active changes.
    List<Reservation> activeList = List.of();
    Optional<AlertState> alert = Optional.empty();

    AccountState(Account account, Comparator<Grant> order) {
      this.account = account;
      this.overdraftAmount = Amount.zero(account.unit());
      this.live = LiveGrants.of(List.of(), List.of(), order);
    }

    /** A grant the caller knows this account holds (it is live, or the write was checked). */
    GrantBalance held(GrantId id) {
      GrantBalance g = grants.get(id);
      if (g == null) {
        throw new IllegalStateException("grant " + id + " is not held by " + account.id());
      }
      return g;
    }
  }

  /** The tenant's state, created on first write. */
  private TenantState tenant(TenantId tenant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return tenants.computeIfAbsent(tenant, t -> new TenantState());
  }

  /** For reads: never creates state, so looking up unknown tenants costs no memory. */
  private static final TenantState NO_TENANT = new TenantState();

  private TenantState existing(TenantId tenant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return tenants.getOrDefault(tenant, NO_TENANT);
  }

  /**
   * Every transaction of {@code tenant}, in no order: for the stores in this package that report
   * over the ledger ({@link InMemoryRevenueStore}), which filter and order it themselves.
   */
  java.util.Collection<LedgerTransaction> tenantTransactions(TenantId tenant) {
    return List.copyOf(existing(tenant).byId.values());
  }

  private Optional<AccountState> state(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(account, "account");
    return Optional.ofNullable(existing(tenant).accounts.get(account));
  }

  @Override
  public long nextSequence() {
    return sequence.incrementAndGet();
  }

  @Override
  public Account insertAccountIfAbsent(Account account) {
    InvalidRequestException.requireNonNull(account, "account");
    TenantState t = tenant(account.tenant());
    AccountState found = t.accounts.get(account.id());
    if (found != null) {
      return found.account;
    }
    synchronized (t) {
      found = t.accounts.get(account.id());
      if (found != null) {
        return found.account;
      }
      String key = account.externalKey().orElse(null);
      if (key != null && t.byExternalKey.containsKey(key)) {
        throw new InvalidRequestException(
            "externalKey", key, "is held by another account of the tenant");
      }
      AccountState created = new AccountState(account, grantOrder);
      t.accounts.put(account.id(), created);
      if (key != null) {
        t.byExternalKey.put(key, created);
      }
      return account;
    }
  }

  @Override
  public Optional<Account> findAccountByKey(TenantId tenant, String externalKey) {
    InvalidRequestException.requireNonNull(externalKey, "externalKey");
    return Optional.ofNullable(existing(tenant).byExternalKey.get(externalKey)).map(s -> s.account);
  }

  @Override
  public List<GrantCategory> grantCategories(TenantId tenant, AccountId account) {
    return state(tenant, account)
        .map(
            s -> {
              Map<GrantCategory, Long> first = new HashMap<>();
              s.lock.lock();
              try {
                for (GrantBalance g : s.grants.values()) {
                  first.merge(g.grant().category(), g.grant().sequence(), Math::min);
                }
              } finally {
                s.lock.unlock();
              }
              return first.entrySet().stream()
                  .sorted(Map.Entry.comparingByValue())
                  .map(Map.Entry::getKey)
                  .toList();
            })
        .orElse(List.of());
  }

  @Override
  public Optional<Account> findAccount(TenantId tenant, AccountId account) {
    return state(tenant, account).map(s -> s.account);
  }

  @Override
  public Optional<AccountSnapshot> loadAccount(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(account, "account");
    AccountState s = existing(tenant).accounts.get(account);
    if (s == null) {
      return Optional.empty();
    }
    s.lock.lock();
    try {
      // Every part is immutable and replaced (never changed) by writes: no copy.
      return Optional.of(
          new AccountSnapshot(
              s.account, s.live, s.overdraftAmount, s.activeList, s.alert, s.version));
    } finally {
      s.lock.unlock();
    }
  }

  /**
   * Accepts the first order offered: from then on every account's live grants are kept in it (the
   * accounts already here are sorted now), so a snapshot lists them in it. Any other order offered
   * later is refused; the library then orders the grants itself.
   */
  @Override
  public synchronized boolean orderGrantsBy(Comparator<Grant> order) {
    InvalidRequestException.requireNonNull(order, "order");
    if (orderOffered) {
      return grantOrder == order;
    }
    orderOffered = true;
    // First the order new accounts start with, then every account there is: an account opened
    // meanwhile and missed keeps creation order, which its list says (correct, only slower).
    grantOrder = order;
    for (TenantState t : tenants.values()) {
      for (AccountState s : t.accounts.values()) {
        s.lock.lock();
        try {
          List<GrantBalance> sorted = new ArrayList<>(s.live);
          sorted.sort((a, b) -> order.compare(a.grant(), b.grant()));
          s.live = LiveGrants.of(s.live, sorted, order);
        } finally {
          s.lock.unlock();
        }
      }
    }
    return true;
  }

  @Override
  public List<GrantBalance> grants(TenantId tenant, AccountId account) {
    return state(tenant, account)
        .map(
            s -> {
              s.lock.lock();
              try {
                return List.copyOf(s.grants.values());
              } finally {
                s.lock.unlock();
              }
            })
        .orElse(List.of());
  }

  @Override
  public Optional<GrantBalance> findGrant(TenantId tenant, GrantId grant) {
    InvalidRequestException.requireNonNull(grant, "grant");
    AccountState s = existing(tenant).grantOwners.get(grant);
    if (s == null) {
      return Optional.empty();
    }
    s.lock.lock();
    try {
      return Optional.ofNullable(s.grants.get(grant));
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public Optional<LedgerTransaction> findTransaction(TenantId tenant, IdempotencyKey key) {
    InvalidRequestException.requireNonNull(key, "idempotencyKey");
    return Optional.ofNullable(existing(tenant).byKey.get(key));
  }

  /** Every rated line of the account (for {@link InMemoryStatementStore}). */
  List<RatedLine> ratedLinesOf(TenantId tenant, AccountId account) {
    return metering.ratedLinesOf(tenant, account);
  }

  /** The tenant's account ids, sorted (for {@link InMemoryStatementStore}). */
  List<AccountId> accountIds(TenantId tenant) {
    TenantState t = tenants.get(tenant);
    return t == null
        ? List.of()
        : t.accounts.keySet().stream()
            .sorted(java.util.Comparator.comparing(AccountId::value))
            .toList();
  }

  @Override
  public List<LedgerTransaction> transactions(TenantId tenant, AccountId account) {
    return state(tenant, account)
        .map(
            s -> {
              s.lock.lock();
              try {
                return List.copyOf(s.transactions);
              } finally {
                s.lock.unlock();
              }
            })
        .orElse(List.of());
  }

  @Override
  public Optional<LedgerTransaction> findTransaction(TenantId tenant, TransactionId id) {
    InvalidRequestException.requireNonNull(id, "transaction");
    return Optional.ofNullable(existing(tenant).byId.get(id));
  }

  @Override
  public List<LedgerTransaction> history(
      TenantId tenant,
      AccountId account,
      TransactionFilter filter,
      long beforeSequence,
      int limit) {
    InvalidRequestException.requireNonNull(filter, "filter");
    requireLimit(limit);
    return state(tenant, account)
        .map(
            s -> {
              s.lock.lock();
              try {
                List<LedgerTransaction> page = new ArrayList<>();
                // Transactions are appended in commit order, which is sequence order per account.
                for (int i = s.transactions.size() - 1; i >= 0 && page.size() < limit; i--) {
                  LedgerTransaction t = s.transactions.get(i);
                  if (t.sequence() < beforeSequence && filter.accepts(t)) {
                    page.add(t);
                  }
                }
                return List.copyOf(page);
              } finally {
                s.lock.unlock();
              }
            })
        .orElse(List.of());
  }

  @Override
  public List<LedgerTransaction> corrections(TenantId tenant, TransactionId original) {
    InvalidRequestException.requireNonNull(original, "original");
    List<LedgerTransaction> found = existing(tenant).corrections.get(original);
    if (found == null) {
      return List.of();
    }
    synchronized (found) {
      return List.copyOf(found);
    }
  }

  @Override
  public Optional<Reservation> findReservation(TenantId tenant, ReservationId id) {
    InvalidRequestException.requireNonNull(id, "reservation");
    return Optional.ofNullable(existing(tenant).reservations.get(id));
  }

  @Override
  public List<GrantBalance> expiredGrants(
      TenantId tenant, Instant at, long afterSequence, int limit) {
    InvalidRequestException.requireNonNull(at, "at");
    requireLimit(limit);
    List<GrantBalance> found = new ArrayList<>();
    for (AccountState s : existing(tenant).accounts.values()) {
      s.lock.lock();
      try {
        for (GrantBalance g : s.live) {
          if (!g.voided()
              && g.grant().sequence() > afterSequence
              && g.grant().expiresAt().map(e -> !e.isAfter(at)).orElse(false)) {
            found.add(g);
          }
        }
      } finally {
        s.lock.unlock();
      }
    }
    found.sort(Comparator.comparingLong(g -> g.grant().sequence()));
    return List.copyOf(found.subList(0, Math.min(limit, found.size())));
  }

  @Override
  public List<Reservation> expiredReservations(
      TenantId tenant, Instant at, long afterSequence, int limit) {
    InvalidRequestException.requireNonNull(at, "at");
    requireLimit(limit);
    List<Reservation> found = new ArrayList<>();
    for (AccountState s : existing(tenant).accounts.values()) {
      s.lock.lock();
      try {
        for (Reservation r : s.active.values()) {
          if (r.sequence() > afterSequence && !r.expiresAt().isAfter(at)) {
            found.add(r);
          }
        }
      } finally {
        s.lock.unlock();
      }
    }
    found.sort(Comparator.comparingLong(Reservation::sequence));
    return List.copyOf(found.subList(0, Math.min(limit, found.size())));
  }

  @Override
  public boolean updateAlert(
      TenantId tenant, AccountId account, Optional<AlertState> alert, long expectedVersion) {
    InvalidRequestException.requireNonNull(alert, "alert");
    AccountState s =
        state(tenant, account).orElseThrow(() -> new AccountNotFoundException(tenant, account));
    s.lock.lock();
    try {
      if (s.version != expectedVersion) {
        return false;
      }
      s.alert = alert;
      s.version++;
      return true;
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public List<OutboxEntry> pendingEvents(int limit) {
    requireLimit(limit);
    List<OutboxEntry> pending = new ArrayList<>();
    for (Map.Entry<Long, BillingEvent> e : outbox.entrySet()) {
      if (pending.size() == limit) {
        break;
      }
      pending.add(new OutboxEntry(e.getKey(), e.getValue()));
    }
    return pending;
  }

  @Override
  public void acknowledgeEvents(Collection<Long> positions) {
    InvalidRequestException.requireNonNull(positions, "positions");
    positions.forEach(outbox::remove);
  }

  private static void requireLimit(int limit) {
    if (limit < 1) {
      throw new InvalidRequestException("limit", limit, "must be at least 1");
    }
  }

  /** One write, as {@link #commitBatch} answers a batch of one, without the batch's bookkeeping. */
  @Override
  public CommitResult commit(LedgerWrite write) {
    InvalidRequestException.requireNonNull(write, "write");
    LedgerTransaction t = write.transaction();
    TenantState tenant = existing(t.tenant());
    AccountState s = tenant.accounts.get(t.account());
    if (s == null) {
      return new CommitResult.Rejected("unknown account " + t.account());
    }
    s.lock.lock();
    try {
      return apply(tenant, s, write);
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public List<CommitResult> commitBatch(List<LedgerWrite> writes) {
    InvalidRequestException.requireNonNull(writes, "writes");
    // Resolve the accounts first; an unknown one fails only its own write. Keyed by identity: a
    // record's hashCode would hash the whole transaction (postings, references...) for nothing.
    Map<LedgerWrite, AccountState> owners = new IdentityHashMap<>();
    Set<AccountState> toLock = new TreeSet<>(LOCK_ORDER);
    for (LedgerWrite w : writes) {
      LedgerTransaction t = w.transaction();
      state(t.tenant(), t.account())
          .ifPresent(
              s -> {
                owners.put(w, s);
                toLock.add(s);
              });
    }
    List<AccountState> locked = new ArrayList<>(toLock);
    locked.forEach(s -> s.lock.lock());
    try {
      List<CommitResult> results = new ArrayList<>(writes.size());
      WriteRules.BatchChain<AccountState> chain = new WriteRules.BatchChain<>();
      for (LedgerWrite w : writes) {
        AccountState s = owners.get(w);
        if (s == null) {
          results.add(new CommitResult.Rejected("unknown account " + w.transaction().account()));
          continue;
        }
        TenantState tenant = tenant(w.transaction().tenant());
        CommitResult r =
            chain.countsOnUnapplied(s, w)
                ? WriteRules.BatchChain.answerChained(
                    w, tenant.byKey.get(w.transaction().idempotencyKey()), s.version)
                : apply(tenant, s, w);
        chain.answered(s, w, r);
        results.add(r);
      }
      return results;
    } finally {
      for (int i = locked.size() - 1; i >= 0; i--) {
        locked.get(i).lock.unlock();
      }
    }
  }

  /** Checks every precondition, then claims the key and grant ids, then moves balances. */
  private CommitResult apply(TenantState tenant, AccountState s, LedgerWrite w) {
    LedgerTransaction t = w.transaction();
    LedgerTransaction existing = tenant.byKey.get(t.idempotencyKey());
    if (existing != null) {
      return new CommitResult.Duplicate(existing);
    }
    if (w.expectedVersion() != s.version) {
      return new CommitResult.VersionConflict(w.expectedVersion(), s.version);
    }
    Map<GrantId, Grant> created = w.newGrants().isEmpty() ? Map.of() : new LinkedHashMap<>();
    for (int i = 0; i < w.newGrants().size(); i++) {
      Grant g = w.newGrants().get(i);
      if (s.grants.containsKey(g.id()) || created.put(g.id(), g) != null) {
        return new CommitResult.Rejected("grant id " + g.id() + " already exists");
      }
    }
    PostingDeltas deltas = new PostingDeltas(t.postings());
    for (int i = 0; i < deltas.size(); i++) {
      GrantId id = deltas.id(i);
      GrantBalance before = s.grants.get(id);
      Grant grant = before != null ? before.grant() : created.get(id);
      if (grant == null) {
        return new CommitResult.Rejected("unknown grant " + id + " on " + s.account.id());
      }
      long remaining =
          Math.addExact(before != null ? before.remaining().minor() : 0, deltas.delta(i));
      Optional<String> broken =
          WriteRules.checkGrant(grant.id().value(), remaining, grant.amount().minor());
      if (broken.isPresent()) {
        return new CommitResult.Rejected(broken.get());
      }
    }
    if (!w.voidedGrants().isEmpty()) { // no iterator for the usual empty set
      for (GrantId v : w.voidedGrants()) {
        if (!s.grants.containsKey(v) && !created.containsKey(v)) {
          return new CommitResult.Rejected("unknown grant " + v + " on " + s.account.id());
        }
      }
    }
    long overdraft = Math.addExact(s.overdraft, deltas.overdraft());
    Optional<String> broken = WriteRules.checkOverdraft(s.account, overdraft);
    if (broken.isPresent()) {
      return new CommitResult.Rejected(broken.get());
    }
    broken = WriteRules.checkReservations(w, tenant.reservations::get);
    if (broken.isPresent()) {
      return new CommitResult.Rejected(broken.get());
    }
    if (!created.isEmpty()) { // a charge creates none: no iterator
      for (GrantId id : created.keySet()) {
        if (tenant.grantOwners.putIfAbsent(id, s) != null) {
          for (GrantId c : created.keySet()) {
            if (c.equals(id)) {
              break;
            }
            tenant.grantOwners.remove(c);
          }
          return new CommitResult.Rejected("grant id " + id + " already exists in the tenant");
        }
      }
    }
    List<ReservationId> opened = List.of();
    for (int i = 0; i < w.newReservations().size(); i++) {
      Reservation r = w.newReservations().get(i);
      if (!tenant.reservationIds.add(r.id())) {
        opened.forEach(tenant.reservationIds::remove);
        created.keySet().forEach(tenant.grantOwners::remove);
        return new CommitResult.Rejected("reservation " + r.id() + " already exists in the tenant");
      }
      if (opened.isEmpty()) {
        opened = new ArrayList<>();
      }
      opened.add(r.id());
    }
    existing = tenant.byKey.putIfAbsent(t.idempotencyKey(), t);
    if (existing != null) {
      opened.forEach(tenant.reservationIds::remove);
      if (!created.isEmpty()) {
        created.keySet().forEach(tenant.grantOwners::remove);
      }
      return new CommitResult.Duplicate(existing);
    }
    // All checks passed: nothing below can fail.
    if (!created.isEmpty()) {
      for (Grant g : created.values()) {
        s.grants.put(g.id(), new GrantBalance(g, Amount.zero(g.amount().unit()), false));
      }
    }
    for (int i = 0; i < deltas.size(); i++) {
      GrantId id = deltas.id(i);
      GrantBalance before = s.held(id);
      s.grants.put(
          id,
          new GrantBalance(
              before.grant(),
              Amount.ofMinor(
                  before.remaining().unit(), before.remaining().minor() + deltas.delta(i)),
              before.voided()));
    }
    if (!w.voidedGrants().isEmpty()) {
      for (GrantId v : w.voidedGrants()) {
        GrantBalance before = s.held(v);
        s.grants.put(v, new GrantBalance(before.grant(), before.remaining(), true));
      }
    }
    if (deltas.size() > 0 || !w.voidedGrants().isEmpty()) {
      s.live = relisted(s, deltas, w.voidedGrants());
    }
    if (!w.newReservations().isEmpty() || !w.resolvedReservations().isEmpty()) {
      for (Reservation r : w.newReservations()) {
        tenant.reservations.put(r.id(), r);
        s.active.put(r.id(), r);
      }
      for (Map.Entry<ReservationId, ReservationState> e : w.resolvedReservations().entrySet()) {
        Reservation active = s.active.remove(e.getKey());
        if (active == null) {
          throw new IllegalStateException("reservation " + e.getKey() + " is not active");
        }
        Reservation resolved = active.resolved(e.getValue(), t.id());
        tenant.reservations.put(resolved.id(), resolved);
      }
      s.activeList = List.copyOf(s.active.values());
    }
    if (w.alert().isPresent()) {
      s.alert = w.alert();
    }
    if (overdraft != s.overdraft) {
      s.overdraft = overdraft;
      s.overdraftAmount = Amount.ofMinor(s.account.unit(), overdraft);
    }
    s.version++;
    s.transactions.add(t);
    tenant.byId.put(t.id(), t);
    Optional<TransactionId> corrects = t.corrects();
    if (corrects.isPresent()) {
      List<LedgerTransaction> list =
          tenant.corrections.computeIfAbsent(corrects.get(), o -> new ArrayList<>());
      synchronized (list) {
        list.add(t);
      }
    }
    // Last, so that a relay never sees an event whose transaction is not yet readable.
    for (int i = 0; i < w.events().size(); i++) {
      BillingEvent e = w.events().get(i);
      outbox.put(outboxPosition.incrementAndGet(), e);
    }
    return new CommitResult.Committed(t);
  }

  /**
   * The account's live grants once the grants a write moved or voided are updated: each is found in
   * the creation-ordered list and in the grant-ordered one by binary search (a grant's terms, hence
   * its place, never change) and replaced, dropped when it holds nothing, or inserted when it holds
   * credit again. A charge touches only the grants it moves, whatever the number of live grants;
   * the lists are copied once each (arrays the new list then keeps).
   */
  private static LiveGrants relisted(
      AccountState s, PostingDeltas deltas, java.util.Set<GrantId> voided) {
    Comparator<Grant> order = s.live.order();
    Comparator<Grant> created = LiveGrants.bySequence();
    boolean same = order == created;
    Relist live = new Relist(s.live.copyListed(0), created);
    Relist inOrder = same ? live : new Relist(s.live.copyInOrder(0), order);
    for (int i = 0; i < deltas.size(); i++) {
      GrantBalance g = s.held(deltas.id(i));
      live.relist(g);
      if (!same) {
        inOrder.relist(g);
      }
    }
    for (GrantId v : voided) {
      GrantBalance g = s.held(v);
      live.relist(g);
      if (!same) {
        inOrder.relist(g);
      }
    }
    GrantBalance[] listed = live.done();
    return LiveGrants.adopt(listed, same ? listed : inOrder.done(), order);
  }
}
