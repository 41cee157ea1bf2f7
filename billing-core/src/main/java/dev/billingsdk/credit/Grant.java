package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A credit block's terms, fixed at creation and never changed (a grant can only be voided). How
 * much is left lives in the ledger; see {@link GrantBalance}.
 *
 * @param priority 1..100, lower applies first
 * @param effectiveFrom inclusive: the grant pays from this instant on
 * @param expiresAt exclusive: at this instant the grant stops paying
 * @param sequence unique and increasing in creation order: the last tie-break of rule 2
 */
public record Grant(
    GrantId id,
    TenantId tenant,
    AccountId account,
    String name,
    GrantCategory category,
    int priority,
    Amount amount,
    Instant effectiveFrom,
    Optional<Instant> expiresAt,
    Scope scope,
    CostBasis costBasis,
    Map<String, String> metadata,
    Actor createdBy,
    Instant createdAt,
    long sequence) {

  public static final int HIGHEST_PRIORITY = 1;
  public static final int LOWEST_PRIORITY = 100;

  public Grant {
    InvalidRequestException.requireNonNull(id, "grant");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(name, "name");
    InvalidRequestException.requireNonNull(category, "category");
    checkPriority(priority);
    InvalidRequestException.requireNonNull(amount, "amount");
    if (!amount.isPositive()) {
      throw new InvalidRequestException("amount", amount, "must be positive");
    }
    // Normalised before the expiry check and before anyone orders by them: grant order compares
    // these instants, and every store keeps them to the microsecond (InputContract).
    effectiveFrom = InputContract.instant(effectiveFrom, "effectiveFrom");
    InvalidRequestException.requireNonNull(expiresAt, "expiresAt");
    expiresAt = expiresAt.map(at -> InputContract.instant(at, "expiresAt"));
    if (expiresAt.isPresent() && !expiresAt.get().isAfter(effectiveFrom)) {
      throw new InvalidRequestException(
          "expiresAt", expiresAt.get(), "must be after effectiveFrom " + effectiveFrom);
    }
    InvalidRequestException.requireNonNull(scope, "scope");
    InvalidRequestException.requireNonNull(costBasis, "costBasis");
    costBasis
        .price()
        .ifPresent(
            p -> {
              if (!p.per().unit().equals(amount.unit())) {
                throw new InvalidRequestException(
                    "costBasis", p, "must be a price per " + amount.unit().code());
              }
            });
    metadata = References.checkStored(metadata, "metadata");
    InvalidRequestException.requireNonNull(createdBy, "actor");
    createdAt = InputContract.instant(createdAt, "createdAt");
  }

  static void checkPriority(int priority) {
    if (priority < HIGHEST_PRIORITY || priority > LOWEST_PRIORITY) {
      throw new InvalidRequestException(
          "priority", priority, "must be between " + HIGHEST_PRIORITY + " and " + LOWEST_PRIORITY);
    }
  }

  /** Whether the grant may pay at {@code at}: effective, and not yet expired. */
  public boolean isActiveAt(Instant at) {
    // Not expiresAt.map(at::isBefore): a charge asks this of every grant it looks at.
    return !at.isBefore(effectiveFrom) && (expiresAt.isEmpty() || at.isBefore(expiresAt.get()));
  }
}
