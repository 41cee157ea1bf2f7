package dev.billingsdk.jdbc;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import java.util.List;

/**
 * The ledger commit of {@link JdbcBillingStore}: a batch of writes is one database transaction, run
 * by a {@link BatchWriter} and run again on a retryable failure or a lost unique-key race.
 */
final class LedgerCommit {
  private final JdbcRunner runner;
  private final StoreRows db;
  private final Dialect dialect;
  private final LedgerReads reads;

  LedgerCommit(JdbcRunner runner, StoreRows db, Dialect dialect, LedgerReads reads) {
    this.runner = runner;
    this.db = db;
    this.dialect = dialect;
    this.reads = reads;
  }

  CommitResult commit(LedgerWrite write) {
    InvalidRequestException.requireNonNull(write, "write");
    return commitBatch(List.of(write)).get(0);
  }

  List<CommitResult> commitBatch(List<LedgerWrite> writes) {
    InvalidRequestException.requireNonNull(writes, "writes");
    if (writes.isEmpty()) {
      return List.of();
    }
    return runner.transaction(
        "committing " + writes.size() + " write(s)",
        c -> new BatchWriter(c, reads, db, dialect).apply(writes));
  }
}
