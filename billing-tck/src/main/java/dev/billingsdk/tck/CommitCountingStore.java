package dev.billingsdk.tck;

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
import java.util.function.UnaryOperator;

/**
 * A thin delegating store that counts commit calls (a batch counts once) and lets a test run
 * something just before a batch reaches the real store (another writer slipping in).
 */
final class CommitCountingStore implements BillingStore {
  final BillingStore real;
  final AtomicInteger commits = new AtomicInteger();
  final AtomicInteger batchedWrites = new AtomicInteger();
  volatile UnaryOperator<List<LedgerWrite>> beforeBatch = w -> w;
  volatile Runnable beforeCommit = () -> {};

  CommitCountingStore(BillingStore real) {
    this.real = real;
  }

  void reset() {
    commits.set(0);
    batchedWrites.set(0);
  }

  @Override
  public CommitResult commit(LedgerWrite write) {
    commits.incrementAndGet();
    batchedWrites.incrementAndGet();
    beforeCommit.run();
    return real.commit(write);
  }

  @Override
  public List<CommitResult> commitBatch(List<LedgerWrite> writes) {
    commits.incrementAndGet();
    batchedWrites.addAndGet(writes.size());
    return real.commitBatch(beforeBatch.apply(writes));
  }

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
