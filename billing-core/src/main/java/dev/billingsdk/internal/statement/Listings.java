package dev.billingsdk.internal.statement;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionPage;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.StatementStore;
import dev.billingsdk.statement.BalancePage;
import dev.billingsdk.statement.BalanceQuery;
import dev.billingsdk.statement.BalanceRow;
import dev.billingsdk.statement.Statements;
import dev.billingsdk.statement.TransactionQuery;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The transactions panel and the account-balances table: which accounts the viewer sees, then one
 * indexed read per page.
 */
final class Listings {
  private static final String CURSOR_PREFIX = "tx1.";

  private final StatementStore statements;
  private final BillingStore ledger;
  private final Clock clock;

  Listings(StatementStore statements, BillingStore ledger, Clock clock) {
    this.statements = statements;
    this.ledger = ledger;
    this.clock = clock;
  }

  /**
   * The accounts the query may read: empty for every account of the tenant (admins and finance
   * without a filter), otherwise the list.
   */
  Optional<List<AccountId>> visible(
      TenantId tenant,
      Actor viewer,
      Optional<String> holder,
      Optional<AccountId> account,
      Operation op) {
    boolean all = StatementService.seesEveryAccount(viewer);
    if (!all && holder.isPresent() && !holder.get().equals(viewer.id())) {
      throw new AccessDeniedException(viewer, op, tenant);
    }
    if (account.isPresent()) {
      Account a =
          ledger
              .findAccount(tenant, account.get())
              .orElseThrow(() -> new AccountNotFoundException(tenant, account.get()));
      if (!all && !a.holder().map(viewer.id()::equals).orElse(false)) {
        throw new AccessDeniedException(viewer, op, tenant);
      }
      if (holder.isPresent() && !a.holder().equals(holder)) {
        return Optional.of(List.of());
      }
      return Optional.of(List.of(a.id()));
    }
    if (!all) {
      return Optional.of(statements.accountsOf(tenant, viewer.id()));
    }
    return holder.map(h -> statements.accountsOf(tenant, h));
  }

  TransactionPage transactions(TransactionQuery q) {
    Optional<List<AccountId>> accounts =
        visible(q.tenant(), q.viewer(), q.holder(), q.account(), Operation.READ_STATEMENTS);
    Optional<Instant> from = q.from();
    Optional<Instant> until = q.until();
    if (q.last().isPresent()) {
      Instant now = InputContract.now(clock);
      from = Optional.of(now.minus(q.last().get()));
      until = Optional.empty();
    }
    Optional<StatementStore.ListPosition> before = q.cursor().map(Listings::decode);
    List<LedgerTransaction> page =
        accounts.isPresent() && accounts.get().isEmpty()
            ? List.of()
            : statements.transactionsAcross(
                q.tenant(), accounts, from, until, before, q.limit() + 1);
    if (page.size() <= q.limit()) {
      return new TransactionPage(page, Optional.empty());
    }
    List<LedgerTransaction> shown = page.subList(0, q.limit());
    LedgerTransaction last = shown.get(shown.size() - 1);
    return new TransactionPage(shown, Optional.of(encode(last)));
  }

  BalancePage balances(BalanceQuery q, Statements statementsService) {
    Optional<List<AccountId>> visible =
        visible(q.tenant(), q.viewer(), q.holder(), q.account(), Operation.READ_STATEMENTS);
    List<AccountId> accounts;
    if (visible.isPresent()) {
      accounts =
          visible.get().stream()
              .filter(a -> q.after().map(x -> a.value().compareTo(x.value()) > 0).orElse(true))
              .limit(q.limit() + 1L)
              .toList();
    } else {
      accounts = statements.accounts(q.tenant(), q.after(), q.limit() + 1);
    }
    Optional<AccountId> next = Optional.empty();
    if (accounts.size() > q.limit()) {
      accounts = accounts.subList(0, q.limit());
      next = Optional.of(accounts.get(accounts.size() - 1));
    }
    List<BalanceRow> rows = new ArrayList<>();
    for (AccountId a : accounts) {
      for (YearMonth m = q.from(); !m.isAfter(q.to()); m = m.plusMonths(1)) {
        rows.add(BalanceRow.of(statementsService.statement(q.tenant(), a, m, q.viewer())));
      }
    }
    return new BalancePage(rows, next);
  }

  private static String encode(LedgerTransaction t) {
    String text =
        t.recordedAt().getEpochSecond() + "." + t.recordedAt().getNano() + "." + t.sequence();
    return CURSOR_PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static StatementStore.ListPosition decode(String cursor) {
    try {
      if (!cursor.startsWith(CURSOR_PREFIX)) {
        throw new IllegalArgumentException("prefix");
      }
      String text =
          new String(
              Base64.getUrlDecoder().decode(cursor.substring(CURSOR_PREFIX.length())),
              StandardCharsets.US_ASCII);
      String[] parts = text.split("\\.", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException("parts");
      }
      return new StatementStore.ListPosition(
          Instant.ofEpochSecond(Long.parseLong(parts[0]), Integer.parseInt(parts[1])),
          Long.parseLong(parts[2]));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new InvalidRequestException("cursor", cursor, "is not a cursor this library returned");
    }
  }
}
