package dev.billingsdk.statement;

import dev.billingsdk.InvalidRequestException;
import java.time.YearMonth;
import java.util.List;

/**
 * What a close run did, one entry per (account, month) it looked at, in account then month order.
 */
public record StatementClose(YearMonth month, boolean dryRun, List<Entry> entries) {

  /** What happened to one account's month. */
  public enum Outcome {
    /** Stored by this run. */
    CLOSED,
    /** Stored before (an earlier run, or another instance first): nothing new. */
    ALREADY_CLOSED,
    /** A dry run: this would be stored. */
    WOULD_CLOSE
  }

  /** One account's month: the statement stored (or that would be) and the outcome. */
  public record Entry(Statement statement, Outcome outcome) {
    public Entry {
      InvalidRequestException.requireNonNull(statement, "statement");
      InvalidRequestException.requireNonNull(outcome, "outcome");
    }
  }

  public StatementClose {
    InvalidRequestException.requireNonNull(month, "month");
    entries = List.copyOf(entries);
  }

  /** How many entries had the outcome. */
  public long count(Outcome outcome) {
    return entries.stream().filter(e -> e.outcome() == outcome).count();
  }
}
