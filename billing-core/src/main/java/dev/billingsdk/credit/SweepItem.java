package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/**
 * One expiry a sweep posted, or would post in a dry run.
 *
 * @param subject the grant or reservation id
 * @param amount the credit that expired (or went back, for a reservation)
 * @param effectiveAt the expiry instant
 * @param transaction the transaction posted; in a dry run, the one that would be posted (never
 *     stored)
 */
public record SweepItem(
    AccountId account,
    String subject,
    Amount amount,
    Instant effectiveAt,
    LedgerTransaction transaction) {}
