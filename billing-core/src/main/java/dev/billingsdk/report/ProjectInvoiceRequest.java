package dev.billingsdk.report;

import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.math.RoundingMode;
import java.time.YearMonth;

/**
 * Asks for the project invoice of {@code month}. The credit equivalent of a cost is rarely a whole
 * number of the credit unit's smallest subdivision, so the caller names how each line is rounded
 * ({@link RoundingMode#UNNECESSARY} refuses any rounding with a {@link
 * dev.billingsdk.money.RoundingRequiredException}).
 */
public record ProjectInvoiceRequest(
    TenantId tenant, YearMonth month, RoundingMode rounding, Actor actor) {

  public ProjectInvoiceRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(rounding, "rounding");
    InvalidRequestException.requireNonNull(actor, "actor");
  }

  public static ProjectInvoiceRequest of(
      TenantId tenant, YearMonth month, RoundingMode rounding, Actor actor) {
    return new ProjectInvoiceRequest(tenant, month, rounding, actor);
  }
}
