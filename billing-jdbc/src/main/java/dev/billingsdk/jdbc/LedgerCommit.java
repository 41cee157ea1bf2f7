package dev.billingsdk.jdbc;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The ledger commit of {@link JdbcBillingStore}: a batch of writes is one database transaction, run
 * by a {@link BatchWriter} and run again on a retryable failure or a lost unique-key race.
 */
final class LedgerCommit {
  private final JdbcRunner runner;
  private final StoreRows db;
  private final Dialect dialect;
  private final LedgerReads reads;
  private final SequenceBlocks sequences;
  // Null where the database has no data-modifying statements: every write takes the batch path.
  private final @Nullable PostgresLedgerCommit oneStatement;
  private final @Nullable PostgresBatchCommit batchStatement;

  LedgerCommit(
      JdbcRunner runner,
      StoreRows db,
      Dialect dialect,
      LedgerReads reads,
      SequenceBlocks sequences) {
    this.runner = runner;
    this.db = db;
    this.dialect = dialect;
    this.reads = reads;
    this.sequences = sequences;
    this.oneStatement = dialect.writesInOneStatement() ? new PostgresLedgerCommit(db::t) : null;
    this.batchStatement = dialect.writesInOneStatement() ? new PostgresBatchCommit(db::t) : null;
  }

  /**
   * One write. On PostgreSQL it is first tried as one statement ({@link PostgresLedgerCommit}): one
   * round trip, no lock taken before it. If that statement does not apply it (the account moved on,
   * or a rule refuses the write), the batch path runs it and answers exactly why.
   */
  CommitResult commit(LedgerWrite write) {
    InvalidRequestException.requireNonNull(write, "write");
    if (oneStatement != null && PostgresLedgerCommit.takes(write)) {
      PostgresLedgerCommit.Result result =
          runner.read("committing a write", c -> oneStatement.apply(c, write));
      if (result.outcome() == PostgresLedgerCommit.Outcome.APPLIED) {
        return new CommitResult.Committed(BatchWriter.stored(write.transaction()));
      }
      if (result.outcome() == PostgresLedgerCommit.Outcome.MOVED_ON) {
        // If what moved the account on was this very write's twin, its key is stored now, and a
        // stored key answers first, as on the batch path. The statement's snapshot cannot tell (a
        // twin that committed while it waited is not in it), so one fresh read does; it is paid
        // only when the account moved on.
        LedgerTransaction t = write.transaction();
        Optional<LedgerTransaction> stored = reads.findTransaction(t.tenant(), t.idempotencyKey());
        if (stored.isPresent()) {
          return new CommitResult.Duplicate(stored.get());
        }
        return new CommitResult.VersionConflict(write.expectedVersion(), result.version());
      }
    }
    return batchPath(List.of(write)).get(0);
  }

  /**
   * Many writes. On PostgreSQL a batch of a shape it checks exactly is first tried as one set-based
   * statement ({@link PostgresBatchCommit}); the writes of the accounts it leaves out (all of an
   * account's writes, or none) then take the batch path, as they would after the others had been
   * committed. If the statement was undone, or the batch is of another shape, the whole batch takes
   * the batch path.
   */
  List<CommitResult> commitBatch(List<LedgerWrite> writes) {
    InvalidRequestException.requireNonNull(writes, "writes");
    if (writes.isEmpty()) {
      return List.of();
    }
    if (writes.size() == 1) {
      return List.of(commit(writes.get(0)));
    }
    PostgresBatchCommit statement = batchStatement;
    PostgresBatchCommit.Plan plan = statement == null ? null : PostgresBatchCommit.plan(writes);
    if (statement != null && plan != null) {
      Optional<Set<List<Object>>> applied =
          runner.read(
              "committing " + writes.size() + " writes", c -> statement.apply(c, writes, plan));
      if (applied.isPresent()) {
        List<LedgerWrite> rest = new ArrayList<>();
        for (LedgerWrite w : writes) {
          if (!PostgresBatchCommit.appliedTo(applied.get(), w)) {
            rest.add(w);
          }
        }
        Iterator<CommitResult> others = batchPath(rest).iterator();
        List<CommitResult> results = new ArrayList<>(writes.size());
        for (LedgerWrite w : writes) {
          results.add(
              PostgresBatchCommit.appliedTo(applied.get(), w)
                  ? new CommitResult.Committed(BatchWriter.stored(w.transaction()))
                  : others.next());
        }
        return results;
      }
    }
    return batchPath(writes);
  }

  /** The batch path: one database transaction that locks, checks against what is stored, writes. */
  private List<CommitResult> batchPath(List<LedgerWrite> writes) {
    if (writes.isEmpty()) {
      return List.of();
    }
    return runner.transaction(
        "committing " + writes.size() + " write(s)",
        c -> new BatchWriter(c, reads, db, dialect, sequences).apply(writes));
  }
}
