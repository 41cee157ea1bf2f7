package dev.billingsdk.report;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.YearMonth;
import java.util.List;

/**
 * What a payout run did.
 *
 * @param created the payouts this run wrote (a dry run: the payouts it would write, none written)
 * @param existing the payouts of the month that were already there (an earlier run, or another
 *     instance that won the race), left as they were
 */
public record PayoutRun(
    TenantId tenant, YearMonth month, boolean dryRun, List<Payout> created, List<Payout> existing) {

  public PayoutRun {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(month, "month");
    created = List.copyOf(InvalidRequestException.requireNonNull(created, "created"));
    existing = List.copyOf(InvalidRequestException.requireNonNull(existing, "existing"));
  }
}
