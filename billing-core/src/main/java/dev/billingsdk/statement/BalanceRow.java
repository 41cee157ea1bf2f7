package dev.billingsdk.statement;

import dev.billingsdk.AccountId;
import dev.billingsdk.money.Amount;
import java.time.Instant;
import java.time.YearMonth;

/**
 * One row of the account-balances table: an account's month as its statement has it. {@code ending
 * = start + credits - charges - expired}.
 *
 * @param charges charges less the reversals of charges
 * @param expired credit that expired, was voided, or was taken back by a refund
 * @param status whether the month is closed
 * @param transactionsFrom with {@code transactionsUntil}, the range to list the month's
 *     transactions with ({@link TransactionQuery.Builder#between}); the statement is {@code
 *     Statements.statement(tenant, account, month, viewer)}
 */
public record BalanceRow(
    AccountId account,
    YearMonth month,
    Statement.Status status,
    Amount start,
    Amount credits,
    Amount charges,
    Amount expired,
    Amount ending,
    Instant transactionsFrom,
    Instant transactionsUntil) {

  /** The row of a statement. */
  public static BalanceRow of(Statement s) {
    return new BalanceRow(
        s.account(),
        s.month(),
        s.status(),
        s.opening(),
        s.credits(),
        s.charges().minus(s.reversals()),
        s.expiriesAndVoids(),
        s.closing(),
        s.window().from(),
        s.window().until());
  }
}
