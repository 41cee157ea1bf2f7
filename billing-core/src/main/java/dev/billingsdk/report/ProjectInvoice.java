package dev.billingsdk.report;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.money.Amount;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;

/**
 * A month's project invoice (the finance guide's "Project Invoices"): one line per project with its
 * cost and credit equivalent.
 *
 * <p>The totals are the sums of the lines as shown: {@code totalCredits} adds the lines' rounded
 * credits, so the lines always add up to the total on the page, and it may differ from converting
 * {@code totalCost} in one piece by up to half a smallest credit subdivision per line (with HALF_UP
 * / HALF_EVEN; a whole one with UP / DOWN / CEILING / FLOOR).
 *
 * @param from the month's first instant: midnight of its first day in {@code zone}
 * @param to the next month's first instant (exclusive)
 * @param zone the calendar zone of the settings in force (see {@link
 *     ProjectCosts#invoice(ProjectInvoiceRequest)})
 * @param settingsVersion the credit economy settings version whose price is used
 * @param creditPrice the price per credit of that version
 * @param rounding how each line's credits were rounded
 * @param lines ordered by project id
 * @param totalCost the sum of the lines' costs, in the price's currency
 * @param totalCredits the sum of the lines' (rounded) credits
 */
public record ProjectInvoice(
    TenantId tenant,
    YearMonth month,
    Instant from,
    Instant to,
    ZoneId zone,
    int settingsVersion,
    CreditPrice creditPrice,
    RoundingMode rounding,
    List<ProjectInvoiceLine> lines,
    Amount totalCost,
    Amount totalCredits) {

  public ProjectInvoice {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(month, "month");
    InvalidRequestException.requireNonNull(from, "from");
    InvalidRequestException.requireNonNull(to, "to");
    InvalidRequestException.requireNonNull(zone, "zone");
    InvalidRequestException.requireNonNull(creditPrice, "creditPrice");
    InvalidRequestException.requireNonNull(rounding, "rounding");
    lines = List.copyOf(InvalidRequestException.requireNonNull(lines, "lines"));
    Amount cost = Amount.zero(creditPrice.money().unit());
    Amount credits = Amount.zero(creditPrice.credits().unit());
    for (ProjectInvoiceLine line : lines) {
      cost = cost.plus(line.cost());
      credits = credits.plus(line.credits());
    }
    if (!cost.equals(totalCost) || !credits.equals(totalCredits)) {
      throw new InvalidRequestException(
          "totalCredits",
          totalCost + " / " + totalCredits,
          "must be the sums of the lines, " + cost + " / " + credits);
    }
  }
}
