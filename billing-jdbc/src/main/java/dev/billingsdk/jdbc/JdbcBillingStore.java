package dev.billingsdk.jdbc;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
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
import dev.billingsdk.spi.StoreFailureException;
import dev.billingsdk.spi.StoredUsageEvent;
import dev.billingsdk.spi.WriteBasis;
import dev.billingsdk.spi.WriteTarget;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BillingStore} on the host's {@link DataSource}: PostgreSQL, MariaDB or H2, plain JDBC
 * with prepared statements.
 *
 * <p>On PostgreSQL a single {@link #commit} is first tried as one data-modifying statement (the
 * account update with its version check driving every other row; see {@code PostgresLedgerCommit})
 * and {@link #readForWrite} is one round trip ({@code PipelinedWriteRead}); what that statement
 * does not apply takes the batch path below, which answers exactly why. Sequence numbers are drawn
 * 256 at a time ({@code SequenceBlocks}).
 *
 * <p>A {@link #commitBatch batch} is one database transaction. It first locks the rows of every
 * account it writes, one at a time in one fixed order (tenant, then account id), so writers never
 * wait on each other in a cycle; then it checks each write's preconditions against what is stored
 * (idempotency key, account version, grant balances, overdraft policy, reservations), exactly as
 * the in-memory store does, and writes the transactions, postings, grants, reservations, account
 * versions and outbox events of the writes that pass. Idempotency keys, grant ids and reservation
 * ids are primary or unique keys, so a write that races another process for one of them fails its
 * insert; the batch is then rolled back and decided again, and the second time it sees the winner.
 * Serialization failures, deadlocks and lost connections are retried the same way, a bounded number
 * of times with jittered back-off: safe, because every write carries its idempotency key.
 *
 * <p>It is also the {@link MeteringStore}. An {@link #ingest ingest} is one database transaction:
 * it locks the rating cursor of every (tenant, account, meter) the list names, in the same fixed
 * order, creating the missing ones, and only then reads which ids are stored; it draws the new
 * events' sequences from the locked cursors and holds them until it commits, so a sequence at or
 * below a committed cursor's {@code ingestedSequence} is never filled in later. The primary key
 * (tenant, event_id) is the claim: an id claimed meanwhile under another cursor fails the insert,
 * and the ingest runs again and sees it. A rating step moves its cursor with an {@code UPDATE} on
 * the version it read and stores its lines in the same transaction.
 *
 * <p>Instants are stored at microsecond precision (what PostgreSQL and MariaDB keep); anything
 * finer is dropped when written, and the transaction a commit returns is the one stored. Usage
 * times arrive whole microseconds; the bounds of usage windows (a cursor's {@code ratedUntil}, a
 * rated line's window, the bounds of the usage reads) are rounded up instead, which selects the
 * same usage. Quantities are exact decimals (12 places) and come back without trailing zeros.
 */
public final class JdbcBillingStore implements BillingStore, MeteringStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcBillingStore.class);

  /**
   * What usage summaries group rated lines by (the tests compare the database's plan against it).
   */
  static final String SUMMARY_GROUPS = UsageRating.SUMMARY_GROUPS;

  private final Dialect dialect;
  private final String prefix;

  private final LedgerReads ledgerReads;
  // Null where the database cannot answer several statements in one round trip.
  private final @Nullable PipelinedWriteRead writeRead;
  private final AccountWrites accountWrites;
  private final LedgerCommit ledgerCommit;
  private final MeterIngest meterIngest;
  private final UsageRating usageRating;

  private JdbcBillingStore(DataSource dataSource, Dialect dialect, String prefix, int maxAttempts) {
    this.dialect = dialect;
    this.prefix = prefix;
    JdbcRunner runner = new JdbcRunner(dataSource, dialect, maxAttempts);
    StoreRows db = new StoreRows(dialect, prefix);
    TransactionReader transactions = new TransactionReader(dialect, prefix);
    this.ledgerReads = new LedgerReads(runner, db, transactions);
    this.writeRead =
        dialect.readsInOneRoundTrip() ? new PipelinedWriteRead(runner, db, transactions) : null;
    SequenceBlocks sequences = new SequenceBlocks(runner, dialect, db);
    this.accountWrites = new AccountWrites(runner, db, dialect, ledgerReads, sequences);
    this.ledgerCommit = new LedgerCommit(runner, db, dialect, ledgerReads, sequences);
    this.meterIngest = new MeterIngest(runner, db, dialect);
    this.usageRating = new UsageRating(runner, db, dialect);
  }

  /** Starts a store on {@code dataSource}; see {@link Builder}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** How to reach and prepare the database. */
  public static final class Builder {
    private final DataSource dataSource;
    private @Nullable Dialect dialect; // null: detected from the connection
    private String prefix = Schema.DEFAULT_PREFIX;
    private boolean applySchema;
    private int maxAttempts = 8;

    private Builder(DataSource dataSource) {
      InvalidRequestException.requireNonNull(dataSource, "dataSource");
      this.dataSource = dataSource;
    }

    /** The database; detected from the first connection when not given. */
    public Builder dialect(Dialect dialect) {
      InvalidRequestException.requireNonNull(dialect, "dialect");
      this.dialect = dialect;
      return this;
    }

    /** Prepended to every table name; lower-case letters, digits and '_', at most 20. */
    public Builder tablePrefix(String prefix) {
      this.prefix = Schema.checkPrefix(prefix);
      return this;
    }

    /**
     * Whether to apply the shipped migrations on start. When false (the default) the store only
     * checks that the schema is at the version it knows, and refuses to start otherwise.
     */
    public Builder applySchema(boolean apply) {
      this.applySchema = apply;
      return this;
    }

    /** Attempts of one database transaction that meets a deadlock, serialization or lost link. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new InvalidRequestException("maxAttempts", attempts, "must be at least 1");
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Connects, applies or checks the schema, and returns the store.
     *
     * @throws SchemaVersionException if the schema is not (or cannot be brought to) the version
     *     this library knows
     * @throws StoreFailureException if the database cannot be reached
     */
    public JdbcBillingStore build() {
      Dialect d = dialect != null ? dialect : StoreSupport.detect(dataSource);
      Schema schema = new Schema(d, prefix);
      if (applySchema) {
        int applied = schema.apply(dataSource);
        if (applied > 0) {
          LOG.info("applied {} billing schema migration(s) with prefix {}", applied, prefix);
        }
      }
      schema.check(dataSource);
      return new JdbcBillingStore(dataSource, d, prefix, maxAttempts);
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  public String tablePrefix() {
    return prefix;
  }

  @Override
  public long nextSequence() {
    return accountWrites.nextSequence();
  }

  @Override
  public Account insertAccountIfAbsent(Account account) {
    return accountWrites.insertAccountIfAbsent(account);
  }

  @Override
  public Optional<Account> findAccountByKey(TenantId tenant, String externalKey) {
    return ledgerReads.findAccountByKey(tenant, externalKey);
  }

  @Override
  public List<GrantCategory> grantCategories(TenantId tenant, AccountId account) {
    return ledgerReads.grantCategories(tenant, account);
  }

  @Override
  public Optional<Account> findAccount(TenantId tenant, AccountId account) {
    return ledgerReads.findAccount(tenant, account);
  }

  @Override
  public WriteBasis readForWrite(TenantId tenant, AccountId account, IdempotencyKey key) {
    return writeRead != null
        ? writeRead.read(tenant, account, key)
        : BillingStore.super.readForWrite(tenant, account, key);
  }

  @Override
  public List<WriteBasis> readForWrites(List<WriteTarget> targets) {
    InvalidRequestException.requireNonNull(targets, "targets");
    return writeRead != null && !targets.isEmpty()
        ? writeRead.readAll(targets)
        : BillingStore.super.readForWrites(targets);
  }

  @Override
  public Optional<AccountSnapshot> loadAccount(TenantId tenant, AccountId account) {
    return ledgerReads.loadAccount(tenant, account);
  }

  @Override
  public List<GrantBalance> grants(TenantId tenant, AccountId account) {
    return ledgerReads.grants(tenant, account);
  }

  @Override
  public Optional<GrantBalance> findGrant(TenantId tenant, GrantId grant) {
    return ledgerReads.findGrant(tenant, grant);
  }

  @Override
  public Optional<LedgerTransaction> findTransaction(TenantId tenant, IdempotencyKey key) {
    return ledgerReads.findTransaction(tenant, key);
  }

  @Override
  public Optional<LedgerTransaction> findTransaction(TenantId tenant, TransactionId id) {
    return ledgerReads.findTransaction(tenant, id);
  }

  @Override
  public List<LedgerTransaction> transactions(TenantId tenant, AccountId account) {
    return ledgerReads.transactions(tenant, account);
  }

  @Override
  public List<LedgerTransaction> history(
      TenantId tenant,
      AccountId account,
      TransactionFilter filter,
      long beforeSequence,
      int limit) {
    return ledgerReads.history(tenant, account, filter, beforeSequence, limit);
  }

  @Override
  public List<LedgerTransaction> corrections(TenantId tenant, TransactionId original) {
    return ledgerReads.corrections(tenant, original);
  }

  @Override
  public List<LedgerTransaction> invoiceApplications(
      TenantId tenant, AccountId account, String invoice) {
    return ledgerReads.invoiceApplications(tenant, account, invoice);
  }

  @Override
  public Optional<Reservation> findReservation(TenantId tenant, ReservationId id) {
    return ledgerReads.findReservation(tenant, id);
  }

  @Override
  public List<GrantBalance> expiredGrants(
      TenantId tenant, Instant at, long afterSequence, int limit) {
    return ledgerReads.expiredGrants(tenant, at, afterSequence, limit);
  }

  @Override
  public List<Reservation> expiredReservations(
      TenantId tenant, Instant at, long afterSequence, int limit) {
    return ledgerReads.expiredReservations(tenant, at, afterSequence, limit);
  }

  @Override
  public boolean updateAlert(
      TenantId tenant, AccountId account, Optional<AlertState> alert, long expectedVersion) {
    return accountWrites.updateAlert(tenant, account, alert, expectedVersion);
  }

  @Override
  public List<OutboxEntry> pendingEvents(int limit) {
    return accountWrites.pendingEvents(limit);
  }

  @Override
  public void acknowledgeEvents(Collection<Long> positions) {
    accountWrites.acknowledgeEvents(positions);
  }

  @Override
  public CommitResult commit(LedgerWrite write) {
    return ledgerCommit.commit(write);
  }

  @Override
  public List<CommitResult> commitBatch(List<LedgerWrite> writes) {
    return ledgerCommit.commitBatch(writes);
  }

  @Override
  public Meter insertMeterIfAbsent(Meter meter) {
    return meterIngest.insertMeterIfAbsent(meter);
  }

  @Override
  public Optional<Meter> findMeter(TenantId tenant, String key) {
    return meterIngest.findMeter(tenant, key);
  }

  @Override
  public List<Meter> meters(TenantId tenant) {
    return meterIngest.meters(tenant);
  }

  @Override
  public List<IngestOutcome> ingest(List<StoredUsageEvent> events) {
    return meterIngest.ingest(events);
  }

  @Override
  public Optional<StoredUsageEvent> findUsageEvent(TenantId tenant, String id) {
    return usageRating.findUsageEvent(tenant, id);
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
    return usageRating.lateUsage(
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
    return usageRating.windowUsage(tenant, account, meter, from, to, upToSequence, after, limit);
  }

  @Override
  public Optional<RatingCursor> findRatingCursor(TenantId tenant, AccountId account, String meter) {
    return usageRating.findRatingCursor(tenant, account, meter);
  }

  @Override
  public List<RatingCursor> ratingCursors(Optional<RatingCursor.Key> after, int limit) {
    return usageRating.ratingCursors(after, limit);
  }

  @Override
  public boolean advanceRatingCursor(RatingCursor next, List<RatedLine> lines) {
    return usageRating.advanceRatingCursor(next, lines);
  }

  @Override
  public List<PendingUsage> pendingUsage(List<RatingCursor> cursors, Instant due, int limit) {
    return usageRating.pendingUsage(cursors, due, limit);
  }

  @Override
  public List<Boolean> advanceRatingCursors(List<CursorStep> steps) {
    return usageRating.advanceRatingCursors(steps);
  }

  @Override
  public List<RatedLine> ratedLines(
      TenantId tenant, AccountId account, String meter, long cursorVersion) {
    return usageRating.ratedLines(tenant, account, meter, cursorVersion);
  }

  @Override
  public List<UsageSummaryRow> usageSummary(UsageSummaryQuery q) {
    return usageRating.usageSummary(q);
  }
}
