package dev.billingsdk.report;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;

/**
 * One project on a {@link ProjectInvoice}: its cost in the month and the credit equivalent at the
 * invoice's price per credit, rounded once, on this line, with the request's rounding mode.
 *
 * @param projectName the name on the project's latest row of the month
 * @param rows how many cost rows the line adds up
 */
public record ProjectInvoiceLine(
    String projectId, String projectName, Amount cost, Amount credits, long rows) {

  public ProjectInvoiceLine {
    projectId = InputContract.identifier(projectId, "projectId");
    InvalidRequestException.requireNonNull(projectName, "projectName");
    InvalidRequestException.requireNonNull(cost, "cost");
    InvalidRequestException.requireNonNull(credits, "credits");
  }
}
