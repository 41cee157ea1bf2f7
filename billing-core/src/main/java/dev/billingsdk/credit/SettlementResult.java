package dev.billingsdk.credit;

import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;

/**
 * A settled reservation. {@code charged} is what was consumed: the actual amount, or less when a
 * partial-policy account could not pay what went beyond the hold ({@code shortfall}).
 *
 * @param released what went back from the hold (held minus what the settlement used of it)
 * @param replayed true when the reservation had been settled before with this same amount and this
 *     is that original outcome
 */
public record SettlementResult(
    Reservation reservation,
    LedgerTransaction transaction,
    Amount held,
    Amount actual,
    Amount charged,
    Amount released,
    Amount shortfall,
    boolean replayed) {}
