package dev.billingsdk.credit;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An account's balances at an instant, as a finance user reads them.
 *
 * @param total what the ledger holds for the account: every grant's remainder (including ones not
 *     yet effective, or expired but not yet swept) plus what active reservations hold, minus what
 *     it owes. Equals a replay of the ledger.
 * @param available what charges could spend at {@code at}: remainders of effective, unexpired,
 *     unvoided grants. Reserved credit is not available: it has left the grants until its
 *     reservation ends.
 * @param reserved what active reservations hold
 * @param owed what the account owes under an overdraft policy (zero or positive)
 * @param availableByCategory {@code available} split by grant category: every category of every
 *     grant the account has ever had (spent, voided and expired ones included), zero where nothing
 *     is available, ordered by the creation of the account's first grant in each category (so a
 *     category keeps its place as its grants are spent). A grant created while the balance is read
 *     may add its category with zero.
 * @param grants every grant that still holds credit
 */
public record AccountBalance(
    Account account,
    Instant at,
    Amount total,
    Amount available,
    Amount reserved,
    Amount owed,
    Map<GrantCategory, Amount> availableByCategory,
    List<GrantBalance> grants) {

  public AccountBalance {
    InvalidRequestException.requireNonNull(availableByCategory, "availableByCategory");
    InvalidRequestException.requireNonNull(grants, "grants");
    for (int i = 0; i < grants.size(); i++) {
      InvalidRequestException.requireNonNull(grants.get(i), "grants[" + i + "]");
    }
    availableByCategory = Collections.unmodifiableMap(new LinkedHashMap<>(availableByCategory));
    grants = List.copyOf(grants);
  }

  /** What is available in one category (zero if none). */
  public Amount available(GrantCategory category) {
    return availableByCategory.getOrDefault(category, Amount.zero(account.unit()));
  }
}
