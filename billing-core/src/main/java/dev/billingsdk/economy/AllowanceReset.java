package dev.billingsdk.economy;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.YearMonth;
import java.util.List;

/**
 * What a partner allowance reset posted or, in a dry run, would post.
 *
 * @param dryRun whether nothing was written
 * @param dryRunBySettings whether the run was dry because the settings' switch is on
 * @param settingsVersion the settings version the run read
 * @param movements per partner in the request's order: its expiries, then its new allowance
 */
public record AllowanceReset(
    TenantId tenant,
    YearMonth month,
    boolean dryRun,
    boolean dryRunBySettings,
    int settingsVersion,
    List<ResetMovement> movements) {

  public AllowanceReset {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(month, "month");
    movements = List.copyOf(movements);
  }
}
