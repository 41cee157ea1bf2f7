package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.OutboxEntry;
import dev.billingsdk.spi.WriteRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deliberately plain store for testing the kit itself: one map per concern, a single monitor.
 * With every safeguard on it is correct (and must pass the kit); each broken variant turns
 * safeguards off, the way real adapters get it wrong, and the kit must catch it.
 */
class SwitchableStore implements BillingStore {

  /** What a store must do to keep the rules; each one can be switched off. */
  enum Safeguard {
    /** Applies a write only at the version it was decided on. */
    VERSION_CHECK,
    /** Answers a used idempotency key with the original transaction. */
    KEY_CHECK,
    /** Refuses a grant below zero or above its amount, and an overdraft past the policy. */
    BALANCE_RULES,
    /** Checks and writes in one step under the monitor. */
    ATOMIC,
    /**
     * Refuses to resolve a reservation that is not ACTIVE or to open one twice, and a RESERVED
     * posting that is not what the opened minus the resolved reservations hold.
     */
    RESERVATION_CHECK,
    /** Writes a write's outbox events in the same step as the write, and only if it applies. */
    OUTBOX_ATOMIC,
    /** Pages history newest first. */
    HISTORY_ORDER,
    /** Returns only due, unvoided grants with credit left, and only ACTIVE due reservations. */
    EXPIRY_QUERY,
    /** Keeps the alert state a write carries, and refuses a stale {@code updateAlert}. */
    ALERT_STATE,
    /** Indexes a transaction's {@code billing.corrects} reference for {@code corrections}. */
    CORRECTIONS,
    /** Lists the categories of spent and voided grants too, in first-grant order. */
    CATEGORY_HISTORY,
    /** Looks an external key up, and keeps it unique, within the tenant only. */
    KEY_TENANT,
    /** Compares external keys exactly (not ignoring case). */
    KEY_EXACT,
    /**
     * Checks that an external key is free and claims it in one step under the monitor (off: looks,
     * lets go, then writes, as a SELECT before an INSERT without a unique index would).
     */
    KEY_CLAIM_ATOMIC
  }

  static final Set<Safeguard> CORRECT = EnumSet.allOf(Safeguard.class);

  /** The correct store. */
  static SwitchableStore correct() {
    return new SwitchableStore(CORRECT);
  }

  /** A store with every safeguard but {@code off}. */
  static SwitchableStore without(Safeguard first, Safeguard... more) {
    Set<Safeguard> on = EnumSet.allOf(Safeguard.class);
    on.remove(first);
    for (Safeguard s : more) {
      on.remove(s);
    }
    return new SwitchableStore(on);
  }

  private final Set<Safeguard> on;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, Account> accounts = new HashMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private final Map<String, Long> overdrafts = new HashMap<>();
  private final Map<String, LinkedHashMap<GrantId, GrantBalance>> grants = new HashMap<>();
  private final Map<String, List<LedgerTransaction>> ledgers = new HashMap<>();
  private final Map<String, LedgerTransaction> keys = new HashMap<>();
  private final Map<String, GrantBalance> grantIndex = new HashMap<>();
  private final Map<String, LedgerTransaction> byId = new HashMap<>();
  private final Map<String, List<LedgerTransaction>> corrections = new HashMap<>();
  private final Map<String, Reservation> reservations = new HashMap<>();
  private final Map<String, LinkedHashMap<ReservationId, Reservation>> active = new HashMap<>();
  private final Map<String, AlertState> alerts = new HashMap<>();
  private final TreeMap<Long, BillingEvent> outbox = new TreeMap<>();
  private long outboxPosition;

  SwitchableStore(Set<Safeguard> on) {
    this.on = EnumSet.copyOf(on);
  }

  private boolean has(Safeguard s) {
    return on.contains(s);
  }

  private static String k(TenantId t, AccountId a) {
    return t.value() + "/" + a.value();
  }

  private static String k(TenantId t, Object id) {
    return t.value() + "/" + id;
  }

  @Override
  public long nextSequence() {
    return sequence.incrementAndGet();
  }

  @Override
  public Account insertAccountIfAbsent(Account account) {
    if (!has(Safeguard.KEY_CLAIM_ATOMIC)) {
      synchronized (this) {
        refuseAKeyHeldByAnother(account);
      }
      pause(); // another writer may claim the key now
    }
    synchronized (this) {
      return insert(account);
    }
  }

  private void refuseAKeyHeldByAnother(Account account) {
    if (account.externalKey().isPresent()
        && findAccountByKey(account.tenant(), account.externalKey().get())
            .filter(h -> !(h.tenant().equals(account.tenant()) && h.id().equals(account.id())))
            .isPresent()) {
      throw new InvalidRequestException(
          "externalKey", account.externalKey().get(), "is held by another account of the tenant");
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Account insert(Account account) {
    String key = k(account.tenant(), account.id());
    Account existing = accounts.get(key);
    if (existing != null) {
      return existing;
    }
    if (has(Safeguard.KEY_CLAIM_ATOMIC)) {
      refuseAKeyHeldByAnother(account);
    }
    accounts.put(key, account);
    versions.put(key, 0L);
    overdrafts.put(key, 0L);
    grants.put(key, new LinkedHashMap<>());
    ledgers.put(key, new ArrayList<>());
    active.put(key, new LinkedHashMap<>());
    return account;
  }

  @Override
  public synchronized Optional<Account> findAccount(TenantId tenant, AccountId account) {
    return Optional.ofNullable(accounts.get(k(tenant, account)));
  }

  @Override
  public synchronized Optional<AccountSnapshot> loadAccount(TenantId tenant, AccountId account) {
    String key = k(tenant, account);
    Account a = accounts.get(key);
    if (a == null) {
      return Optional.empty();
    }
    List<GrantBalance> live =
        grants.get(key).values().stream().filter(g -> !g.remaining().isZero()).toList();
    return Optional.of(
        new AccountSnapshot(
            a,
            live,
            Amount.ofMinor(a.unit(), overdrafts.get(key)),
            List.copyOf(active.get(key).values()),
            Optional.ofNullable(alerts.get(key)),
            versions.get(key)));
  }

  @Override
  public synchronized List<GrantBalance> grants(TenantId tenant, AccountId account) {
    LinkedHashMap<GrantId, GrantBalance> g = grants.get(k(tenant, account));
    return g == null ? List.of() : List.copyOf(g.values());
  }

  @Override
  public synchronized List<dev.billingsdk.credit.GrantCategory> grantCategories(
      TenantId tenant, AccountId account) {
    LinkedHashMap<GrantId, GrantBalance> g = grants.get(k(tenant, account));
    if (g == null) {
      return List.of();
    }
    return g.values().stream()
        .filter(b -> has(Safeguard.CATEGORY_HISTORY) || !b.remaining().isZero())
        .sorted(Comparator.comparingLong(b -> b.grant().sequence()))
        .map(b -> b.grant().category())
        .distinct()
        .toList();
  }

  /** A scan: fine for a test store, and the place the broken variants get keys wrong. */
  @Override
  public synchronized Optional<Account> findAccountByKey(TenantId tenant, String externalKey) {
    return accounts.values().stream()
        .filter(a -> !has(Safeguard.KEY_TENANT) || a.tenant().equals(tenant))
        .filter(
            a ->
                a.externalKey()
                    .filter(
                        k ->
                            has(Safeguard.KEY_EXACT)
                                ? k.equals(externalKey)
                                : k.equalsIgnoreCase(externalKey))
                    .isPresent())
        .findFirst();
  }

  @Override
  public synchronized Optional<GrantBalance> findGrant(TenantId tenant, GrantId grant) {
    return Optional.ofNullable(grantIndex.get(k(tenant, grant)));
  }

  @Override
  public synchronized Optional<LedgerTransaction> findTransaction(
      TenantId tenant, IdempotencyKey key) {
    return Optional.ofNullable(keys.get(k(tenant, key)));
  }

  @Override
  public synchronized Optional<LedgerTransaction> findTransaction(
      TenantId tenant, TransactionId id) {
    return Optional.ofNullable(byId.get(k(tenant, id)));
  }

  @Override
  public synchronized List<LedgerTransaction> transactions(TenantId tenant, AccountId account) {
    List<LedgerTransaction> l = ledgers.get(k(tenant, account));
    return l == null ? List.of() : List.copyOf(l);
  }

  @Override
  public synchronized List<LedgerTransaction> history(
      TenantId tenant,
      AccountId account,
      TransactionFilter filter,
      long beforeSequence,
      int limit) {
    requireLimit(limit);
    List<LedgerTransaction> l = ledgers.get(k(tenant, account));
    if (l == null) {
      return List.of();
    }
    List<LedgerTransaction> ordered = new ArrayList<>(l);
    ordered.sort(Comparator.comparingLong(LedgerTransaction::sequence));
    if (has(Safeguard.HISTORY_ORDER)) {
      java.util.Collections.reverse(ordered);
    }
    // Without the safeguard: the classic ORDER BY sequence (ascending) under a LIMIT.
    List<LedgerTransaction> page = new ArrayList<>();
    for (LedgerTransaction t : ordered) {
      if (page.size() == limit) {
        break;
      }
      if (t.sequence() < beforeSequence && filter.accepts(t)) {
        page.add(t);
      }
    }
    return List.copyOf(page);
  }

  @Override
  public synchronized List<LedgerTransaction> corrections(TenantId tenant, TransactionId original) {
    if (!has(Safeguard.CORRECTIONS)) {
      // An adapter that never indexed the reference: nothing corrects anything.
      return List.of();
    }
    List<LedgerTransaction> l = corrections.get(k(tenant, original));
    return l == null ? List.of() : List.copyOf(l);
  }

  @Override
  public synchronized Optional<Reservation> findReservation(TenantId tenant, ReservationId id) {
    return Optional.ofNullable(reservations.get(k(tenant, id)));
  }

  @Override
  public synchronized List<GrantBalance> expiredGrants(
      TenantId tenant, Instant at, long afterSequence, int limit) {
    requireLimit(limit);
    List<GrantBalance> found = new ArrayList<>();
    for (Map.Entry<String, Account> a : accounts.entrySet()) {
      if (!a.getValue().tenant().equals(tenant)) {
        continue;
      }
      for (GrantBalance g : grants.get(a.getKey()).values()) {
        Optional<Instant> expiry = g.grant().expiresAt();
        if (expiry.isEmpty() || g.grant().sequence() <= afterSequence) {
          continue;
        }
        boolean due = !g.voided() && g.remaining().isPositive() && !expiry.get().isAfter(at);
        // Without the safeguard: every grant with an expiry, whatever its state and instant.
        if (due || !has(Safeguard.EXPIRY_QUERY)) {
          found.add(g);
        }
      }
    }
    found.sort(Comparator.comparingLong(g -> g.grant().sequence()));
    return List.copyOf(found.subList(0, Math.min(limit, found.size())));
  }

  @Override
  public synchronized List<Reservation> expiredReservations(
      TenantId tenant, Instant at, long afterSequence, int limit) {
    requireLimit(limit);
    List<Reservation> found = new ArrayList<>();
    for (Reservation r : reservations.values()) {
      if (!r.tenant().equals(tenant) || r.sequence() <= afterSequence) {
        continue;
      }
      boolean due = r.state() == ReservationState.ACTIVE && !r.expiresAt().isAfter(at);
      // Without the safeguard: every reservation, resolved or not, due or not.
      if (due || !has(Safeguard.EXPIRY_QUERY)) {
        found.add(r);
      }
    }
    found.sort(Comparator.comparingLong(Reservation::sequence));
    return List.copyOf(found.subList(0, Math.min(limit, found.size())));
  }

  @Override
  public synchronized boolean updateAlert(
      TenantId tenant, AccountId account, Optional<AlertState> alert, long expectedVersion) {
    String key = k(tenant, account);
    if (!accounts.containsKey(key)) {
      throw new AccountNotFoundException(tenant, account);
    }
    if (has(Safeguard.ALERT_STATE) && versions.get(key) != expectedVersion) {
      return false;
    }
    if (alert.isPresent()) {
      alerts.put(key, alert.get());
    } else {
      alerts.remove(key);
    }
    versions.merge(key, 1L, Long::sum);
    return true;
  }

  @Override
  public synchronized List<OutboxEntry> pendingEvents(int limit) {
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
  public synchronized void acknowledgeEvents(Collection<Long> positions) {
    positions.forEach(outbox::remove);
  }

  private static void requireLimit(int limit) {
    if (limit < 1) {
      throw new InvalidRequestException("limit", limit, "must be at least 1");
    }
  }

  @Override
  public List<CommitResult> commitBatch(List<LedgerWrite> writes) {
    List<CommitResult> results = new ArrayList<>();
    for (LedgerWrite w : writes) {
      results.add(commit(w));
    }
    return results;
  }

  /** What a write leads to, computed from what was read. */
  private record Plan(
      Map<GrantId, GrantBalance> after,
      long overdraft,
      List<Reservation> opened,
      List<Reservation> resolved) {}

  @Override
  public CommitResult commit(LedgerWrite w) {
    if (!has(Safeguard.OUTBOX_ATOMIC)) {
      // The events go to a queue of their own before the write is even checked.
      synchronized (this) {
        append(w.events());
      }
      Thread.yield();
    }
    if (has(Safeguard.ATOMIC)) {
      synchronized (this) {
        return commitUnderLock(w);
      }
    }
    // The classic lost update: read, decide, and write back in separate steps.
    Object decided;
    synchronized (this) {
      decided = check(w);
    }
    if (decided instanceof CommitResult r) {
      return r;
    }
    Thread.yield();
    synchronized (this) {
      return apply(w, (Plan) decided);
    }
  }

  private CommitResult commitUnderLock(LedgerWrite w) {
    Object decided = check(w);
    return decided instanceof CommitResult r ? r : apply(w, (Plan) decided);
  }

  /** A refusal, or the plan of what to write. */
  private Object check(LedgerWrite w) {
    LedgerTransaction t = w.transaction();
    String key = k(t.tenant(), t.account());
    Account account = accounts.get(key);
    if (account == null) {
      return new CommitResult.Rejected("unknown account");
    }
    if (has(Safeguard.KEY_CHECK)) {
      LedgerTransaction existing = keys.get(k(t.tenant(), t.idempotencyKey()));
      if (existing != null) {
        return new CommitResult.Duplicate(existing);
      }
    }
    if (has(Safeguard.VERSION_CHECK) && versions.get(key) != w.expectedVersion()) {
      return new CommitResult.VersionConflict(w.expectedVersion(), versions.get(key));
    }
    Map<GrantId, GrantBalance> after = new LinkedHashMap<>();
    for (Grant g : w.newGrants()) {
      after.put(g.id(), new GrantBalance(g, Amount.zero(g.amount().unit()), false));
    }
    for (Map.Entry<GrantId, Long> d : w.grantDeltas().entrySet()) {
      GrantBalance before = after.getOrDefault(d.getKey(), grants.get(key).get(d.getKey()));
      if (before == null) {
        return new CommitResult.Rejected("unknown grant " + d.getKey());
      }
      long remaining = before.remaining().minor() + d.getValue();
      if (has(Safeguard.BALANCE_RULES)) {
        Optional<String> broken =
            WriteRules.checkGrant(d.getKey().value(), remaining, before.grant().amount().minor());
        if (broken.isPresent()) {
          return new CommitResult.Rejected(broken.get());
        }
      }
      after.put(
          d.getKey(),
          new GrantBalance(
              before.grant(),
              Amount.ofMinor(before.remaining().unit(), remaining),
              before.voided()));
    }
    for (GrantId v : w.voidedGrants()) {
      GrantBalance before = after.getOrDefault(v, grants.get(key).get(v));
      if (before == null) {
        return new CommitResult.Rejected("unknown grant " + v);
      }
      after.put(v, new GrantBalance(before.grant(), before.remaining(), true));
    }
    long overdraft = overdrafts.get(key) + w.overdraftDelta();
    if (has(Safeguard.BALANCE_RULES)) {
      Optional<String> broken = WriteRules.checkOverdraft(account, overdraft);
      if (broken.isPresent()) {
        return new CommitResult.Rejected(broken.get());
      }
    }
    if (has(Safeguard.RESERVATION_CHECK)) {
      Optional<String> broken =
          WriteRules.checkReservations(w, id -> reservations.get(k(t.tenant(), id)));
      if (broken.isPresent()) {
        return new CommitResult.Rejected(broken.get());
      }
    }
    List<Reservation> resolved = new ArrayList<>();
    for (Map.Entry<ReservationId, ReservationState> e : w.resolvedReservations().entrySet()) {
      Reservation current = reservations.get(k(t.tenant(), e.getKey()));
      if (current == null) {
        return new CommitResult.Rejected("unknown reservation " + e.getKey());
      }
      resolved.add(current.resolved(e.getValue(), t.id()));
    }
    return new Plan(after, overdraft, w.newReservations(), resolved);
  }

  private CommitResult apply(LedgerWrite w, Plan plan) {
    LedgerTransaction t = w.transaction();
    String key = k(t.tenant(), t.account());
    keys.putIfAbsent(k(t.tenant(), t.idempotencyKey()), t);
    grants.get(key).putAll(plan.after());
    plan.after().forEach((id, g) -> grantIndex.put(k(t.tenant(), id), g));
    overdrafts.put(key, plan.overdraft());
    for (Reservation r : plan.opened()) {
      reservations.put(k(t.tenant(), r.id()), r);
      active.get(key).put(r.id(), r);
    }
    for (Reservation r : plan.resolved()) {
      reservations.put(k(t.tenant(), r.id()), r);
      active.get(key).remove(r.id());
    }
    if (w.alert().isPresent() && has(Safeguard.ALERT_STATE)) {
      alerts.put(key, w.alert().get());
    }
    if (has(Safeguard.OUTBOX_ATOMIC)) {
      append(w.events());
    }
    versions.merge(key, 1L, Long::sum);
    ledgers.get(key).add(t);
    byId.put(k(t.tenant(), t.id()), t);
    t.corrects()
        .ifPresent(
            original ->
                corrections
                    .computeIfAbsent(k(t.tenant(), original), o -> new ArrayList<>())
                    .add(t));
    return new CommitResult.Committed(t);
  }

  private void append(List<BillingEvent> events) {
    for (BillingEvent e : events) {
      outbox.put(++outboxPosition, e);
    }
  }
}
