package dev.billingsdk.statement;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.TenantId;
import java.time.YearMonth;

/**
 * Monthly statements. Obtain from {@code Billing.statements()}. Reads need {@link
 * dev.billingsdk.Operation#READ_STATEMENTS}; the close job {@link
 * dev.billingsdk.Operation#CLOSE_STATEMENTS}.
 */
public interface Statements {

  /**
   * The account's statement for a UTC calendar month: the stored one once the month is closed,
   * otherwise computed from the ledger now (so the open month is as current as the last deduction
   * run).
   *
   * @throws dev.billingsdk.credit.AccountNotFoundException if the tenant has no such account
   */
  Statement statement(TenantId tenant, AccountId account, YearMonth month, Actor viewer);

  /**
   * Closes a month for every account of the tenant: each account's statement is computed and stored
   * once, also when runs overlap or a run is repeated after a crash; months before it that are not
   * closed yet are closed first, in order. A dry run computes and writes nothing.
   *
   * @throws dev.billingsdk.InvalidRequestException (field {@code month}) for a month that has not
   *     ended
   */
  StatementClose close(StatementCloseRequest request);
}
