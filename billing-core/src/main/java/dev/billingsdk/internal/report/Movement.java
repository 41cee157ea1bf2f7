package dev.billingsdk.internal.report;

import dev.billingsdk.AccountId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Rational;
import dev.billingsdk.money.Unit;
import java.time.Instant;
import java.time.YearMonth;

/**
 * The revenue one consumption transaction moved in one currency: credits of paid grants taken (a
 * debit, positive) or given back (a reversal, negative), valued exactly at their cost basis.
 *
 * @param attributedAt when the consumption happened: the debit's effective instant, or for a
 *     reversal the effective instant of the debit it corrects (who owned the module, whether the
 *     account was referred yet, are read at this instant)
 * @param exactMinor the value in minor units of {@code currency}
 */
record Movement(
    YearMonth month,
    TransactionId transaction,
    AccountId account,
    String item,
    Instant effectiveAt,
    Instant attributedAt,
    long sequence,
    Unit creditUnit,
    long credits,
    Unit currency,
    Rational exactMinor) {}
