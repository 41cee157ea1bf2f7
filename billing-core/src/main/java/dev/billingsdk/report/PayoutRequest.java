package dev.billingsdk.report;

import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * Run the partner payouts of a tenant for one finished month, or, with {@code dryRun}, say what the
 * run would write without writing anything.
 */
public record PayoutRequest(
    TenantId tenant,
    YearMonth month,
    ZoneId zone,
    RoundingMode rounding,
    boolean dryRun,
    Actor actor) {

  public PayoutRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(zone, "zone");
    InvalidRequestException.requireNonNull(rounding, "rounding");
    if (rounding == RoundingMode.UNNECESSARY) {
      throw new InvalidRequestException(
          "rounding", rounding, "cannot round sub-cent shares; name a rounding mode");
    }
    InvalidRequestException.requireNonNull(actor, "actor");
  }

  /** The run that writes the payouts. */
  public static PayoutRequest run(
      TenantId tenant, YearMonth month, ZoneId zone, RoundingMode rounding, Actor actor) {
    return new PayoutRequest(tenant, month, zone, rounding, false, actor);
  }

  /** The dry run: what {@link #run} would write, nothing written. */
  public static PayoutRequest dryRun(
      TenantId tenant, YearMonth month, ZoneId zone, RoundingMode rounding, Actor actor) {
    return new PayoutRequest(tenant, month, zone, rounding, true, actor);
  }
}
