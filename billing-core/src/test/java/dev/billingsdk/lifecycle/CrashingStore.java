package dev.billingsdk.lifecycle;

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
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.OutboxEntry;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that forwards everything to a real one, but can be told to "crash" on its Nth commit from
 * now: the commit throws, either before it reaches the real store (the write is lost) or after (the
 * write is durable but the caller never hears of it). Simulates a process dying mid-sweep.
 */
final class CrashingStore implements BillingStore {
  /** The simulated crash. */
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash(String message) {
      super(message);
    }
  }

  /** Whether the crashing commit reached the real store. */
  enum When {
    BEFORE_COMMIT,
    AFTER_COMMIT
  }

  private final BillingStore real;
  private final AtomicInteger commitsUntilCrash = new AtomicInteger(-1);
  private volatile When when = When.BEFORE_COMMIT;
  private final AtomicInteger commits = new AtomicInteger();
  private volatile boolean alwaysConflict;

  CrashingStore(BillingStore real) {
    this.real = real;
  }

  /** The {@code n}th commit from now (1 = the next one) throws {@link Crash}. */
  void crashOnCommit(int n, When when) {
    this.when = when;
    commitsUntilCrash.set(n);
  }

  /**
   * From now on every commit loses the race: it reaches nothing and answers that the account's
   * version moved, as when other writers keep committing to the account first.
   */
  void conflictOnEveryCommit() {
    this.alwaysConflict = true;
  }

  /** How many commits reached the real store. */
  int commits() {
    return commits.get();
  }

  @Override
  public CommitResult commit(LedgerWrite write) {
    if (alwaysConflict) {
      return new CommitResult.VersionConflict(write.expectedVersion(), write.expectedVersion() + 1);
    }
    boolean crash = commitsUntilCrash.get() > 0 && commitsUntilCrash.decrementAndGet() == 0;
    if (crash && when == When.BEFORE_COMMIT) {
      throw new Crash("crashed before committing " + write.transaction().idempotencyKey());
    }
    CommitResult result = real.commit(write);
    if (result instanceof CommitResult.Committed) {
      commits.incrementAndGet();
    }
    if (crash) {
      throw new Crash("crashed after committing " + write.transaction().idempotencyKey());
    }
    return result;
  }

  @Override
  public List<CommitResult> commitBatch(List<LedgerWrite> writes) {
    throw new UnsupportedOperationException("the lifecycle services commit one write at a time");
  }

  // ---------------------------------------------------------------- plain forwarding

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
}
