package dev.billingsdk.memory;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.StatementStore;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementWindow;
import dev.billingsdk.statement.UsageCell;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link StatementStore} in memory, reading the ledger and rated lines of the {@link
 * InMemoryBillingStore} it is built on.
 */
public final class InMemoryStatementStore implements StatementStore {

  private record MonthKey(TenantId tenant, AccountId account, YearMonth month) {}

  private final InMemoryBillingStore ledger;
  private final ConcurrentMap<MonthKey, Statement> closed = new ConcurrentHashMap<>();

  private InMemoryStatementStore(InMemoryBillingStore ledger) {
    this.ledger = ledger;
  }

  /** The statement store over {@code ledger}'s transactions and rated usage. */
  public static InMemoryStatementStore create(InMemoryBillingStore ledger) {
    return new InMemoryStatementStore(InvalidRequestException.requireNonNull(ledger, "ledger"));
  }

  @Override
  public long lastSequence(TenantId tenant, AccountId account) {
    return ledger.transactions(tenant, account).stream()
        .mapToLong(LedgerTransaction::sequence)
        .max()
        .orElse(0);
  }

  @Override
  public List<LedgerTransaction> statementTransactions(
      TenantId tenant, AccountId account, StatementWindow window, long afterSequence, int limit) {
    InvalidRequestException.requireNonNull(window, "window");
    if (limit < 1) {
      throw new InvalidRequestException("limit", limit, "must be at least 1");
    }
    return ledger.transactions(tenant, account).stream()
        .filter(t -> t.sequence() > afterSequence && window.contains(t))
        .sorted(Comparator.comparingLong(LedgerTransaction::sequence))
        .limit(limit)
        .toList();
  }

  @Override
  public long balanceBefore(TenantId tenant, AccountId account, Instant before, long upToSequence) {
    InvalidRequestException.requireNonNull(before, "before");
    long sum = 0;
    for (LedgerTransaction t : ledger.transactions(tenant, account)) {
      if (t.effectiveAt().isBefore(before) && t.sequence() <= upToSequence) {
        for (Posting p : t.postings()) {
          LedgerAccount.Kind kind = p.account().kind();
          if (kind == LedgerAccount.Kind.GRANT
              || kind == LedgerAccount.Kind.RESERVED
              || kind == LedgerAccount.Kind.OVERDRAFT) {
            sum = Math.addExact(sum, p.amount().minor());
          }
        }
      }
    }
    return sum;
  }

  @Override
  public List<UsageCell> statementUsage(
      TenantId tenant, AccountId account, StatementWindow window) {
    InvalidRequestException.requireNonNull(window, "window");
    Set<String> keys = new HashSet<>();
    for (LedgerTransaction t : ledger.transactions(tenant, account)) {
      if (window.contains(t)) {
        keys.add(t.idempotencyKey().value());
      }
    }
    record CellKey(String meter, String dimensions, YearMonth period, Instant hour) {}
    Map<CellKey, UsageCell> cells = new HashMap<>();
    for (RatedLine l : ledger.ratedLinesOf(tenant, account)) {
      if (l.posting().isEmpty() || !keys.contains(l.posting().get())) {
        continue;
      }
      Instant hour = l.windowStart().truncatedTo(ChronoUnit.HOURS);
      CellKey key =
          new CellKey(l.meter(), RatedLine.dimensionKey(l.dimensions()), l.period(), hour);
      UsageCell prior = cells.get(key);
      cells.put(
          key,
          prior == null
              ? new UsageCell(
                  l.meter(),
                  l.dimensions(),
                  l.period(),
                  hour,
                  l.quantity(),
                  l.credits(),
                  l.windowStart())
              : new UsageCell(
                  l.meter(),
                  l.dimensions(),
                  l.period(),
                  hour,
                  prior.quantity().add(l.quantity()),
                  prior.credits().plus(l.credits()),
                  l.windowStart().isBefore(prior.firstWindowStart())
                      ? l.windowStart()
                      : prior.firstWindowStart()));
    }
    return new ArrayList<>(cells.values());
  }

  @Override
  public Optional<Statement> findClosed(TenantId tenant, AccountId account, YearMonth month) {
    return Optional.ofNullable(closed.get(new MonthKey(tenant, account, month)));
  }

  @Override
  public Optional<Statement> latestClosedBefore(
      TenantId tenant, AccountId account, YearMonth month) {
    return closed.values().stream()
        .filter(
            s ->
                s.tenant().equals(tenant)
                    && s.account().equals(account)
                    && s.month().isBefore(month))
        .max(Comparator.comparing(Statement::month));
  }

  @Override
  public boolean insertClosed(Statement statement) {
    InvalidRequestException.requireNonNull(statement, "statement");
    if (statement.status() != Statement.Status.CLOSED) {
      throw new InvalidRequestException("status", statement.status(), "must be CLOSED to store");
    }
    return closed.putIfAbsent(
            new MonthKey(statement.tenant(), statement.account(), statement.month()), statement)
        == null;
  }

  @Override
  public List<AccountId> accounts(TenantId tenant, Optional<AccountId> after, int limit) {
    InvalidRequestException.requireNonNull(after, "after");
    if (limit < 1) {
      throw new InvalidRequestException("limit", limit, "must be at least 1");
    }
    return ledger.accountIds(tenant).stream()
        .filter(a -> after.map(x -> a.value().compareTo(x.value()) > 0).orElse(true))
        .limit(limit)
        .toList();
  }
}
