package dev.billingsdk.statement;

import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.YearMonth;

/**
 * Close the statements of a month for every account of a tenant.
 *
 * @param dryRun compute what would be closed and store nothing
 */
public record StatementCloseRequest(TenantId tenant, YearMonth month, Actor actor, boolean dryRun) {

  public StatementCloseRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(actor, "actor");
  }

  /** Close {@code month} for every account of the tenant. */
  public static StatementCloseRequest of(TenantId tenant, YearMonth month, Actor actor) {
    return new StatementCloseRequest(tenant, month, actor, false);
  }

  /** The same request, as a dry run. */
  public StatementCloseRequest asDryRun() {
    return new StatementCloseRequest(tenant, month, actor, true);
  }
}
