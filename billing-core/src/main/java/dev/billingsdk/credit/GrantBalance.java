package dev.billingsdk.credit;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import java.time.Instant;

/** A grant with what is left of it and whether it was voided, as the store last committed. */
public record GrantBalance(Grant grant, Amount remaining, boolean voided) {

  public GrantBalance {
    InvalidRequestException.requireNonNull(grant, "grant");
    InvalidRequestException.requireNonNull(remaining, "remaining");
    grant.amount().requireSameUnit(remaining);
  }

  /** Whether this grant can pay for the charge at {@code at} (rule 3). */
  public boolean canPay(ChargeKind kind, String itemCode, Instant at) {
    return isAvailableAt(at) && grant.scope().covers(kind, itemCode);
  }

  /** Whether the remainder is spendable at {@code at} by some charge. */
  public boolean isAvailableAt(Instant at) {
    return !voided && remaining.isPositive() && grant.isActiveAt(at);
  }
}
