package dev.billingsdk.spi;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.report.CostRowConflictException;
import dev.billingsdk.report.ProjectCostImport;
import dev.billingsdk.report.ProjectCostQuery;
import dev.billingsdk.report.ProjectCostRow;
import java.time.Instant;
import java.util.List;

/**
 * Where imported project cost rows live. The rules a store must keep are {@code
 * ProjectCostStoreTck}'s (billing-tck): an import is all or nothing and idempotent by row id (same
 * id and content: a duplicate; different content: a conflict that stores nothing of the batch);
 * rows read back exactly; queries by usage range and label are answered from indexes, never by
 * reading a tenant's rows to filter them; sums are exact; tenants are kept apart.
 */
public interface ProjectCostStore {

  /**
   * Stores the rows of {@code rows} whose ids are new to the tenant, atomically: either every new
   * row is stored or none is. A row equal to a stored row, or to an earlier row of the batch, is a
   * duplicate. Racing imports of the same row leave one stored row and a duplicate (or a conflict,
   * if they differ).
   *
   * @throws CostRowConflictException naming the first row (in batch order) whose id is stored or
   *     earlier in the batch with different content; nothing is stored
   */
  ProjectCostImport importRows(TenantId tenant, List<ProjectCostRow> rows);

  /** The rows the query reads, ordered by usage start, then row id (compared as Java strings). */
  List<ProjectCostRow> find(ProjectCostQuery query);

  /**
   * The sums of the rows the query reads, one per (project id, project name, currency), in any
   * order. A store may compute them with {@code GROUP BY}.
   */
  List<ProjectSum> sums(ProjectCostQuery query);

  /**
   * The exact sum of the rows of one project id, project name and currency.
   *
   * @param rows how many rows it adds
   * @param latestUsageStart the latest usage start among them
   */
  record ProjectSum(
      String projectId, String projectName, Amount cost, long rows, Instant latestUsageStart) {
    public ProjectSum {
      projectId = InputContract.identifier(projectId, "projectId");
      InvalidRequestException.requireNonNull(projectName, "projectName");
      InvalidRequestException.requireNonNull(cost, "cost");
      if (rows < 1) {
        throw new InvalidRequestException("rows", rows, "must be at least 1");
      }
      InvalidRequestException.requireNonNull(latestUsageStart, "latestUsageStart");
    }
  }
}
