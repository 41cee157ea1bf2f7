package dev.billingsdk.internal.statement;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.event.StatementClosed;
import dev.billingsdk.internal.event.Events;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.StatementStore;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementClose;
import dev.billingsdk.statement.StatementCloseRequest;
import dev.billingsdk.statement.StatementLine;
import dev.billingsdk.statement.StatementWindow;
import dev.billingsdk.statement.Statements;
import dev.billingsdk.statement.UsageCell;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Builds statements from the ledger through the {@link StatementStore}, and closes months. A
 * statement is read in pages of transactions, each folded into the lines at once, so an account's
 * month costs memory for its lines and usage cells, not for its transactions.
 */
public final class StatementService implements Statements {

  static final int PAGE = 1_000;

  private final StatementStore statements;
  private final BillingStore ledger;
  // Null when the billing store keeps no metering: then no meter is a running-time meter.
  private final @Nullable MeteringStore metering;
  private final Clock clock;
  private final AccessPolicy policy;
  private final Listings listings;
  private final Events events;

  public StatementService(
      StatementStore statements,
      BillingStore ledger,
      @Nullable MeteringStore metering,
      Clock clock,
      AccessPolicy policy,
      Events events) {
    this.statements = statements;
    this.ledger = ledger;
    this.metering = metering;
    this.clock = clock;
    this.policy = policy;
    this.events = events;
    this.listings = new Listings(statements, ledger, clock);
  }

  @Override
  public dev.billingsdk.ledger.TransactionPage transactions(
      dev.billingsdk.statement.TransactionQuery query) {
    InvalidRequestException.requireNonNull(query, "query");
    policy.check(query.viewer(), Operation.READ_STATEMENTS, query.tenant());
    return listings.transactions(query);
  }

  @Override
  public dev.billingsdk.statement.BalancePage balances(
      dev.billingsdk.statement.BalanceQuery query) {
    InvalidRequestException.requireNonNull(query, "query");
    policy.check(query.viewer(), Operation.READ_STATEMENTS, query.tenant());
    return listings.balances(query, this);
  }

  @Override
  public Statement statement(TenantId tenant, AccountId account, YearMonth month, Actor viewer) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(viewer, "viewer");
    policy.check(viewer, Operation.READ_STATEMENTS, tenant);
    Account a = requireVisible(tenant, account, viewer);
    Optional<Statement> closed = statements.findClosed(tenant, account, month);
    if (closed.isPresent()) {
      return closed.get();
    }
    return build(a, month, Long.MAX_VALUE, Optional.empty());
  }

  @Override
  public StatementClose close(StatementCloseRequest request) {
    InvalidRequestException.requireNonNull(request, "request");
    policy.check(request.actor(), Operation.CLOSE_STATEMENTS, request.tenant());
    Instant now = InputContract.now(clock);
    YearMonth month = request.month();
    if (!StatementWindow.start(month.plusMonths(1)).isBefore(now.plusNanos(1))) {
      throw new InvalidRequestException("month", month, "has not ended at " + now);
    }
    List<StatementClose.Entry> entries = new ArrayList<>();
    Optional<AccountId> after = Optional.empty();
    while (true) {
      List<AccountId> page = statements.accounts(request.tenant(), after, PAGE);
      for (AccountId id : page) {
        Account a =
            ledger
                .findAccount(request.tenant(), id)
                .orElseThrow(() -> new AccountNotFoundException(request.tenant(), id));
        entries.addAll(closeAccount(a, month, now, request.dryRun()));
      }
      if (page.size() < PAGE) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1));
    }
    return new StatementClose(month, request.dryRun(), entries);
  }

  /** Closes the account's months up to {@code month}, oldest first, from its last closed one. */
  private List<StatementClose.Entry> closeAccount(
      Account a, YearMonth month, Instant now, boolean dryRun) {
    Optional<Statement> stored = statements.findClosed(a.tenant(), a.id(), month);
    if (stored.isPresent()) {
      return List.of(new StatementClose.Entry(stored.get(), StatementClose.Outcome.ALREADY_CLOSED));
    }
    Optional<Statement> last = statements.latestClosedBefore(a.tenant(), a.id(), month);
    YearMonth first =
        last.map(s -> s.month().plusMonths(1))
            .orElseGet(() -> YearMonth.from(a.openedAt().atZone(ZoneOffset.UTC)));
    if (first.isAfter(month)) {
      first = month;
    }
    List<StatementClose.Entry> entries = new ArrayList<>();
    Optional<Statement> previous = last;
    for (YearMonth m = first; !m.isAfter(month); m = m.plusMonths(1)) {
      long watermark = statements.lastSequence(a.tenant(), a.id());
      Statement s = build(a, m, watermark, Optional.of(now), previous);
      if (dryRun) {
        entries.add(new StatementClose.Entry(s, StatementClose.Outcome.WOULD_CLOSE));
        previous = Optional.of(s);
        continue;
      }
      if (statements.insertClosed(s)) {
        entries.add(new StatementClose.Entry(s, StatementClose.Outcome.CLOSED));
        previous = Optional.of(s);
        events.dispatch(
            List.of(
                new StatementClosed(
                    "statement-closed:" + a.tenant().value() + ":" + a.id().value() + ":" + m,
                    a.tenant(),
                    a.id(),
                    now,
                    m,
                    s.opening(),
                    s.closing())));
      } else {
        Statement winner =
            statements
                .findClosed(a.tenant(), a.id(), m)
                .orElseThrow(() -> new IllegalStateException("a closed statement vanished"));
        entries.add(new StatementClose.Entry(winner, StatementClose.Outcome.ALREADY_CLOSED));
        previous = Optional.of(winner);
      }
    }
    return entries;
  }

  private Statement build(Account a, YearMonth month, long watermark, Optional<Instant> closedAt) {
    return build(
        a,
        month,
        watermark,
        closedAt,
        statements.findClosed(a.tenant(), a.id(), month.minusMonths(1)));
  }

  /**
   * The statement of {@code month} holding the transactions up to {@code watermark}, after {@code
   * previous} (the closed statement of the month before, if it is that month).
   */
  private Statement build(
      Account a,
      YearMonth month,
      long watermark,
      Optional<Instant> closedAt,
      Optional<Statement> previous) {
    Optional<Statement> before = previous.filter(p -> p.month().equals(month.minusMonths(1)));
    StatementWindow window =
        StatementWindow.open(
                month, before.map(p -> p.window().watermark()).orElse(StatementWindow.NONE))
            .closedAt(watermark);
    Amount opening =
        before
            .map(Statement::closing)
            .orElseGet(
                () ->
                    Amount.ofMinor(
                        a.unit(),
                        statements.balanceBefore(a.tenant(), a.id(), window.from(), watermark)));
    Fold fold = new Fold(a, window);
    long after = -1;
    while (true) {
      List<LedgerTransaction> page =
          statements.statementTransactions(a.tenant(), a.id(), window, after, PAGE);
      page.forEach(fold::add);
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).sequence();
    }
    List<UsageCell> usage = statements.statementUsage(a.tenant(), a.id(), window);
    Map<String, String> running = new HashMap<>();
    for (UsageCell c : usage) {
      running.computeIfAbsent(c.meter(), m -> runningKey(a.tenant(), m));
    }
    running.values().removeIf(String::isEmpty);
    Amount closing = opening;
    List<StatementLine> lines = fold.lines();
    for (StatementLine l : lines) {
      closing = closing.plus(l.effect());
    }
    return new Statement(
        a.tenant(),
        a.id(),
        month,
        closedAt.isPresent() ? Statement.Status.CLOSED : Statement.Status.OPEN,
        a.unit(),
        opening,
        closing,
        lines,
        usage,
        running,
        window,
        fold.count,
        closedAt);
  }

  /** The key dimension of a running-time meter, {@code ""} for any other. */
  private String runningKey(TenantId tenant, String meter) {
    MeteringStore store = metering;
    if (store == null) {
      return "";
    }
    return store
        .findMeter(tenant, meter)
        .filter(m -> m.aggregation() == Aggregation.RUNNING_TIME)
        .flatMap(Meter::keyDimension)
        .orElse("");
  }

  private Account requireVisible(TenantId tenant, AccountId account, Actor viewer) {
    Account a =
        ledger
            .findAccount(tenant, account)
            .orElseThrow(() -> new AccountNotFoundException(tenant, account));
    if (!seesEveryAccount(viewer) && !a.holder().map(viewer.id()::equals).orElse(false)) {
      throw new AccessDeniedException(viewer, Operation.READ_STATEMENTS, tenant);
    }
    return a;
  }

  /** Admins, finance and the host's jobs read every account; users only those they hold. */
  static boolean seesEveryAccount(Actor viewer) {
    return viewer.has(Role.ADMIN) || viewer.has(Role.FINANCE) || viewer.has(Role.SYSTEM);
  }

  /** One line's running sum (unbounded) and how many postings it is the sum of. */
  private static final class Sum {
    BigInteger minor = BigInteger.ZERO;
    long count;
  }

  /** The lines of a month, folded one transaction at a time. */
  private final class Fold {
    private final Account account;
    private final StatementWindow window;
    private final Map<GrantId, String> categories = new HashMap<>();
    // Each line summed unbounded: only the month's total must fit a long, not every partial sum.
    private final Map<Key, Sum> sums = new TreeMap<>();
    private final LineClassifier classifier;
    long count;

    Fold(Account account, StatementWindow window) {
      this.account = account;
      this.window = window;
      this.classifier = new LineClassifier(this::category, this::reversedItem);
    }

    void add(LedgerTransaction t) {
      count++;
      Optional<YearMonth> late =
          t.effectiveAt().isBefore(window.from())
              ? Optional.of(YearMonth.from(t.effectiveAt().atZone(ZoneOffset.UTC)))
              : Optional.empty();
      for (LineClassifier.Part p : classifier.parts(t)) {
        Sum sum = sums.computeIfAbsent(new Key(p.section(), late, p.key()), k -> new Sum());
        sum.minor = sum.minor.add(BigInteger.valueOf(p.minor()));
        sum.count++;
      }
    }

    /**
     * @throws AmountOverflowException naming the line, the account and the exact sum if a line's
     *     month is beyond a long; never wrapped around
     */
    List<StatementLine> lines() {
      List<StatementLine> lines = new ArrayList<>(sums.size());
      sums.forEach(
          (k, v) -> {
            if (v.minor.bitLength() >= Long.SIZE) {
              throw new AmountOverflowException(
                  "the statement line "
                      + k.section()
                      + " "
                      + k.key()
                      + k.late().map(m -> " (late, " + m + ")").orElse("")
                      + " of account "
                      + account.id()
                      + " in tenant "
                      + account.tenant()
                      + ": "
                      + v.minor
                      + " minor units of "
                      + account.unit().code()
                      + " is more than a long holds");
            }
            lines.add(
                new StatementLine(
                    k.section(),
                    k.key(),
                    k.late(),
                    Amount.ofMinor(account.unit(), v.minor.longValue()),
                    v.count));
          });
      return lines;
    }

    private String category(GrantId grant) {
      return categories.computeIfAbsent(
          grant,
          g ->
              ledger
                  .findGrant(account.tenant(), g)
                  .map(b -> b.grant().category().code())
                  .orElse("UNKNOWN"));
    }

    private Optional<String> reversedItem(LedgerTransaction reversal) {
      return reversal
          .corrects()
          .flatMap(id -> ledger.findTransaction(account.tenant(), id))
          .map(original -> LineClassifier.charge(original, 1).key());
    }
  }

  /** A line's identity: section, then the earlier month it is late for, then key. */
  private record Key(StatementLine.Section section, Optional<YearMonth> late, String key)
      implements Comparable<Key> {
    private static final Comparator<Key> ORDER =
        Comparator.comparing(Key::section)
            .thenComparing(k -> k.late().map(YearMonth::toString).orElse(""))
            .thenComparing(Key::key);

    @Override
    public int compareTo(Key o) {
      return ORDER.compare(this, o);
    }
  }
}
