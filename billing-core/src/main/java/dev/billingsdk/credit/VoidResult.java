package dev.billingsdk.credit;

import dev.billingsdk.GrantId;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;

/**
 * A voided grant: {@code voided} is the remainder that left the account.
 *
 * @param replayed true when the grant had been voided before and this is that original outcome
 */
public record VoidResult(
    GrantId grant, LedgerTransaction transaction, Amount voided, boolean replayed) {}
