package dev.billingsdk.report;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import java.util.List;

/**
 * The totals of a {@link ProjectCostQuery}: one entry per project and currency, and one total per
 * currency. Every total is the exact sum of the rows' costs, to the cent; currencies are never
 * added together.
 *
 * @param projects per project and currency, ordered by project id, then currency code
 * @param byCurrency per currency, ordered by currency code
 * @param rows how many rows the totals add up
 */
public record ProjectCostTotals(
    ProjectCostQuery query, List<ProjectTotal> projects, List<Amount> byCurrency, long rows) {

  public ProjectCostTotals {
    InvalidRequestException.requireNonNull(query, "query");
    projects = List.copyOf(InvalidRequestException.requireNonNull(projects, "projects"));
    byCurrency = List.copyOf(InvalidRequestException.requireNonNull(byCurrency, "byCurrency"));
  }

  /**
   * One project's cost in one currency.
   *
   * @param projectName the name on the project's latest row (latest usage start; rows of one
   *     project may carry an older name after a rename)
   * @param rows how many rows it adds up
   */
  public record ProjectTotal(String projectId, String projectName, Amount cost, long rows) {
    public ProjectTotal {
      projectId = InputContract.identifier(projectId, "projectId");
      InvalidRequestException.requireNonNull(projectName, "projectName");
      InvalidRequestException.requireNonNull(cost, "cost");
    }
  }
}
