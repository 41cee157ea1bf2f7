package dev.billingsdk.spi;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementWindow;
import dev.billingsdk.statement.UsageCell;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * What statements read and keep: the ledger transactions of an account's month, the rated usage
 * behind them, and the closed statements. It reads the same storage as the {@link BillingStore} and
 * {@link MeteringStore} it is built beside; every read is an indexed query of one account, and no
 * read loads an account's usage events.
 */
public interface StatementStore {

  /** The sequence of the account's newest committed transaction, 0 when it has none. */
  long lastSequence(TenantId tenant, AccountId account);

  /**
   * One page of the transactions in the window, oldest sequence first: at most {@code limit} whose
   * sequence is above {@code afterSequence}.
   */
  List<LedgerTransaction> statementTransactions(
      TenantId tenant, AccountId account, StatementWindow window, long afterSequence, int limit);

  /**
   * The account's balance (the sum of its postings on grants, RESERVED and OVERDRAFT, in minor
   * units) over the transactions effective before {@code before} with a sequence at most {@code
   * upToSequence}: the opening of a month whose previous month is not closed.
   */
  long balanceBefore(TenantId tenant, AccountId account, Instant before, long upToSequence);

  /**
   * The rated lines of the window's transactions (joined on their idempotency key, {@link
   * RatedLine#posting()}), summed per meter, dimension values, usage month and UTC hour of the
   * rating window's start. Order is not specified.
   */
  List<UsageCell> statementUsage(TenantId tenant, AccountId account, StatementWindow window);

  /** The closed statement of the month, if the close job stored it. */
  Optional<Statement> findClosed(TenantId tenant, AccountId account, YearMonth month);

  /** The newest closed statement of the account before {@code month}, if any. */
  Optional<Statement> latestClosedBefore(TenantId tenant, AccountId account, YearMonth month);

  /**
   * Stores a closed statement unless one is stored for its (tenant, account, month) already: the
   * first writer wins, also across processes.
   *
   * @return true when this call stored it
   */
  boolean insertClosed(Statement statement);

  /** A page of the tenant's accounts, by id, after {@code after}. */
  List<AccountId> accounts(TenantId tenant, Optional<AccountId> after, int limit);
}
