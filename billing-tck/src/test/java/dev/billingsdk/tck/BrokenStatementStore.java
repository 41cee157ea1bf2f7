package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryStatementStore;
import dev.billingsdk.spi.StatementStore;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementLine;
import dev.billingsdk.statement.StatementWindow;
import dev.billingsdk.statement.UsageCell;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The in-memory statement store with one mistake a hand-written adapter makes. */
final class BrokenStatementStore implements StatementStore {

  enum Mistake {
    NONE,
    /** A second close of a month replaces the first. */
    OVERWRITES_CLOSED,
    /** Checks for a closed month, then stores, without making the two one step. */
    CHECK_THEN_INSERT,
    /** Reads a closed statement back without the month its late lines are for. */
    LOSES_LATE_MONTH,
    /** Finds the month itself as the latest closed one before it. */
    LATEST_INCLUDES_MONTH,
    /** Holds no late transaction: ignores the previous month's watermark. */
    IGNORES_WATERMARK,
    /** Sums the balance of every transaction, ignoring the sequence bound. */
    BALANCE_IGNORES_BOUND,
    /** Groups usage by day instead of hour. */
    USAGE_BY_DAY,
    /** Pages accounts in reverse id order. */
    ACCOUNTS_REVERSED
  }

  private final Mistake mistake;
  private final InMemoryStatementStore delegate;
  private final Map<List<Object>, Statement> overwritten = new ConcurrentHashMap<>();

  BrokenStatementStore(Mistake mistake, InMemoryBillingStore ledger) {
    this.mistake = mistake;
    this.delegate = InMemoryStatementStore.create(ledger);
  }

  @Override
  public long lastSequence(TenantId tenant, AccountId account) {
    return delegate.lastSequence(tenant, account);
  }

  @Override
  public List<LedgerTransaction> statementTransactions(
      TenantId tenant, AccountId account, StatementWindow window, long afterSequence, int limit) {
    StatementWindow w =
        mistake == Mistake.IGNORES_WATERMARK
            ? new StatementWindow(
                window.from(), window.until(), StatementWindow.NONE, window.watermark())
            : window;
    return delegate.statementTransactions(tenant, account, w, afterSequence, limit);
  }

  @Override
  public long balanceBefore(TenantId tenant, AccountId account, Instant before, long upToSequence) {
    return delegate.balanceBefore(
        tenant,
        account,
        before,
        mistake == Mistake.BALANCE_IGNORES_BOUND ? Long.MAX_VALUE : upToSequence);
  }

  @Override
  public List<UsageCell> statementUsage(
      TenantId tenant, AccountId account, StatementWindow window) {
    List<UsageCell> cells = delegate.statementUsage(tenant, account, window);
    if (mistake != Mistake.USAGE_BY_DAY) {
      return cells;
    }
    return cells.stream()
        .map(
            c ->
                new UsageCell(
                    c.meter(),
                    c.dimensions(),
                    c.period(),
                    c.hour().truncatedTo(ChronoUnit.DAYS),
                    c.quantity(),
                    c.credits(),
                    c.firstWindowStart()))
        .toList();
  }

  @Override
  public Optional<Statement> findClosed(TenantId tenant, AccountId account, YearMonth month) {
    Statement replaced = overwritten.get(List.of(tenant, account, month));
    Optional<Statement> found =
        replaced != null ? Optional.of(replaced) : delegate.findClosed(tenant, account, month);
    if (mistake != Mistake.LOSES_LATE_MONTH) {
      return found;
    }
    return found.map(BrokenStatementStore::withoutLateMonths);
  }

  private static Statement withoutLateMonths(Statement s) {
    List<StatementLine> lines = new ArrayList<>();
    for (StatementLine l : s.lines()) {
      lines.add(
          new StatementLine(l.section(), l.key(), Optional.empty(), l.amount(), l.transactions()));
    }
    return new Statement(
        s.tenant(),
        s.account(),
        s.month(),
        s.status(),
        s.unit(),
        s.opening(),
        s.closing(),
        lines,
        s.usage(),
        s.runningMeters(),
        s.window(),
        s.transactions(),
        s.closedAt());
  }

  @Override
  public Optional<Statement> latestClosedBefore(
      TenantId tenant, AccountId account, YearMonth month) {
    return delegate.latestClosedBefore(
        tenant, account, mistake == Mistake.LATEST_INCLUDES_MONTH ? month.plusMonths(1) : month);
  }

  @Override
  public boolean insertClosed(Statement statement) {
    switch (mistake) {
      case OVERWRITES_CLOSED -> {
        if (!delegate.insertClosed(statement)) {
          overwritten.put(
              List.of(statement.tenant(), statement.account(), statement.month()), statement);
        }
        return true;
      }
      case CHECK_THEN_INSERT -> {
        if (findClosed(statement.tenant(), statement.account(), statement.month()).isPresent()) {
          return false;
        }
        try {
          // The gap between the check and the write, where another writer gets in.
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        overwritten.put(
            List.of(statement.tenant(), statement.account(), statement.month()), statement);
        delegate.insertClosed(statement);
        return true;
      }
      default -> {
        return delegate.insertClosed(statement);
      }
    }
  }

  @Override
  public List<AccountId> accounts(TenantId tenant, Optional<AccountId> after, int limit) {
    if (mistake != Mistake.ACCOUNTS_REVERSED) {
      return delegate.accounts(tenant, after, limit);
    }
    return delegate.accounts(tenant, Optional.empty(), Integer.MAX_VALUE).stream()
        .sorted(Comparator.comparing(AccountId::value).reversed())
        .filter(a -> after.map(x -> a.value().compareTo(x.value()) < 0).orElse(true))
        .limit(limit)
        .toList();
  }
}
