package dev.billingsdk.jdbc;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import java.util.List;
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
  }

  /**
   * One write. On PostgreSQL it is first tried as one statement ({@link PostgresLedgerCommit}): one
   * round trip, no lock taken before it. If that statement does not apply it (the account moved on,
   * or a rule refuses the write), the batch path runs it and answers exactly why.
   */
  CommitResult commit(LedgerWrite write) {
    InvalidRequestException.requireNonNull(write, "write");
    if (oneStatement != null && PostgresLedgerCommit.takes(write)) {
      PostgresLedgerCommit.Outcome outcome =
          runner.read("committing a write", c -> oneStatement.apply(c, write));
      if (outcome == PostgresLedgerCommit.Outcome.APPLIED) {
        return new CommitResult.Committed(BatchWriter.stored(write.transaction()));
      }
    }
    return commitBatch(List.of(write)).get(0);
  }

  List<CommitResult> commitBatch(List<LedgerWrite> writes) {
    InvalidRequestException.requireNonNull(writes, "writes");
    if (writes.isEmpty()) {
      return List.of();
    }
    return runner.transaction(
        "committing " + writes.size() + " write(s)",
        c -> new BatchWriter(c, reads, db, dialect, sequences).apply(writes));
  }
}
