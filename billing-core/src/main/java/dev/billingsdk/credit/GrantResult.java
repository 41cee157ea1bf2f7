package dev.billingsdk.credit;

import dev.billingsdk.ledger.LedgerTransaction;

/**
 * A written grant and the transaction that issued it.
 *
 * @param replayed true when this is the original outcome of a repeated request
 */
public record GrantResult(Grant grant, LedgerTransaction transaction, boolean replayed) {}
