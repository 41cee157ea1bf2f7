package dev.billingsdk.credit;

import dev.billingsdk.GrantId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import java.time.Instant;
import java.util.Optional;

/** What one grant pays (or would pay) towards a charge. */
public record Allocation(
    GrantId grant,
    GrantCategory category,
    int priority,
    Optional<Instant> expiresAt,
    CostBasis costBasis,
    Amount amount) {

  public static Allocation of(Grant grant, Amount amount) {
    InvalidRequestException.requireNonNull(grant, "grant");
    return new Allocation(
        grant.id(),
        grant.category(),
        grant.priority(),
        grant.expiresAt(),
        grant.costBasis(),
        amount);
  }
}
