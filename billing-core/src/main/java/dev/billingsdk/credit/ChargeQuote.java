package dev.billingsdk.credit;

import dev.billingsdk.money.Amount;
import java.time.Instant;
import java.util.List;

/**
 * What a charge would do now, without writing anything: which grants would pay and how much, what
 * the overdraft would cover, what would be left.
 *
 * @param wouldBeRejected true when the account's policy would refuse the charge (then the
 *     allocations show what the eligible grants hold, and {@code shortfall} what is missing)
 * @param balanceAfter the account's total balance after the charge, as it would be
 */
public record ChargeQuote(
    Charge charge,
    Instant at,
    List<Allocation> allocations,
    Amount fromOverdraft,
    Amount shortfall,
    boolean wouldBeRejected,
    Amount balanceAfter) {

  public ChargeQuote {
    allocations = List.copyOf(allocations);
  }
}
