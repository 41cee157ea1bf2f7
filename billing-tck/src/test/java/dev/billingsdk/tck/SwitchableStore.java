package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantId;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.WriteRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deliberately plain store for testing the kit itself: one map per concern, a single monitor.
 * With every safeguard on it is correct (and must pass the kit); each broken variant turns one
 * safeguard off, the way real adapters get it wrong, and the kit must catch it.
 */
class SwitchableStore implements BillingStore {
  /** The safeguards; {@link #CORRECT} has them all. */
  record Safeguards(boolean versionCheck, boolean keyCheck, boolean balanceRules, boolean atomic) {}

  static final Safeguards CORRECT = new Safeguards(true, true, true, true);

  private final Safeguards on;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, Account> accounts = new HashMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private final Map<String, Long> overdrafts = new HashMap<>();
  private final Map<String, LinkedHashMap<GrantId, GrantBalance>> grants = new HashMap<>();
  private final Map<String, List<LedgerTransaction>> ledgers = new HashMap<>();
  private final Map<String, LedgerTransaction> keys = new HashMap<>();
  private final Map<String, GrantBalance> grantIndex = new HashMap<>();

  SwitchableStore(Safeguards on) {
    this.on = on;
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
  public synchronized Account insertAccountIfAbsent(Account account) {
    String key = k(account.tenant(), account.id());
    Account existing = accounts.putIfAbsent(key, account);
    if (existing != null) {
      return existing;
    }
    versions.put(key, 0L);
    overdrafts.put(key, 0L);
    grants.put(key, new LinkedHashMap<>());
    ledgers.put(key, new ArrayList<>());
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
            a, live, Amount.ofMinor(a.unit(), overdrafts.get(key)), versions.get(key)));
  }

  @Override
  public synchronized List<GrantBalance> grants(TenantId tenant, AccountId account) {
    LinkedHashMap<GrantId, GrantBalance> g = grants.get(k(tenant, account));
    return g == null ? List.of() : List.copyOf(g.values());
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
  public synchronized List<LedgerTransaction> transactions(TenantId tenant, AccountId account) {
    List<LedgerTransaction> l = ledgers.get(k(tenant, account));
    return l == null ? List.of() : List.copyOf(l);
  }

  @Override
  public List<CommitResult> commitBatch(List<LedgerWrite> writes) {
    List<CommitResult> results = new ArrayList<>();
    for (LedgerWrite w : writes) {
      results.add(commit(w));
    }
    return results;
  }

  /** The new balances a write leads to, computed from what was read. */
  private record Plan(Map<GrantId, GrantBalance> after, long overdraft) {}

  @Override
  public CommitResult commit(LedgerWrite w) {
    if (on.atomic()) {
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

  /** A refusal, or the plan of balances to write. */
  private Object check(LedgerWrite w) {
    LedgerTransaction t = w.transaction();
    String key = k(t.tenant(), t.account());
    Account account = accounts.get(key);
    if (account == null) {
      return new CommitResult.Rejected("unknown account");
    }
    if (on.keyCheck()) {
      LedgerTransaction existing = keys.get(k(t.tenant(), t.idempotencyKey()));
      if (existing != null) {
        return new CommitResult.Duplicate(existing);
      }
    }
    if (on.versionCheck() && versions.get(key) != w.expectedVersion()) {
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
      if (on.balanceRules()) {
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
    if (on.balanceRules()) {
      Optional<String> broken = WriteRules.checkOverdraft(account, overdraft);
      if (broken.isPresent()) {
        return new CommitResult.Rejected(broken.get());
      }
    }
    return new Plan(after, overdraft);
  }

  private CommitResult apply(LedgerWrite w, Plan plan) {
    LedgerTransaction t = w.transaction();
    String key = k(t.tenant(), t.account());
    keys.putIfAbsent(k(t.tenant(), t.idempotencyKey()), t);
    grants.get(key).putAll(plan.after());
    plan.after().forEach((id, g) -> grantIndex.put(k(t.tenant(), id), g));
    overdrafts.put(key, plan.overdraft());
    versions.merge(key, 1L, Long::sum);
    ledgers.get(key).add(t);
    return new CommitResult.Committed(t);
  }

  // The lifecycle SPI (reservations, history, corrections, sweeps' queries, alerts, outbox).
  // Not yet switchable: the kit's lifecycle rule families get their own safeguards.

  @Override
  public Optional<LedgerTransaction> findTransaction(
      TenantId tenant, dev.billingsdk.ledger.TransactionId id) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public List<LedgerTransaction> history(
      TenantId tenant,
      AccountId account,
      dev.billingsdk.ledger.TransactionFilter filter,
      long beforeSequence,
      int limit) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public List<LedgerTransaction> corrections(
      TenantId tenant, dev.billingsdk.ledger.TransactionId original) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public Optional<dev.billingsdk.credit.Reservation> findReservation(
      TenantId tenant, dev.billingsdk.credit.ReservationId id) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public List<GrantBalance> expiredGrants(
      TenantId tenant, java.time.Instant at, long afterSequence, int limit) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public List<dev.billingsdk.credit.Reservation> expiredReservations(
      TenantId tenant, java.time.Instant at, long afterSequence, int limit) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public boolean updateAlert(
      TenantId tenant,
      AccountId account,
      Optional<dev.billingsdk.spi.AlertState> alert,
      long expectedVersion) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public List<dev.billingsdk.spi.OutboxEntry> pendingEvents(int limit) {
    return List.of();
  }

  @Override
  public void acknowledgeEvents(java.util.Collection<Long> positions) {}
}
