package dev.billingsdk.credit;

import dev.billingsdk.GrantId;
import dev.billingsdk.money.Amount;
import java.util.Optional;

/**
 * Credit given back along a debit's lineage: to a grant (empty {@code grant} means the account's
 * overdraft, whose debt it reduced), and how much of it expired or was voided at once because the
 * grant had expired or been voided in the meantime.
 */
public record Restoration(
    Optional<GrantId> grant, Amount restored, Amount expiredAtOnce, Amount voidedAtOnce) {}
