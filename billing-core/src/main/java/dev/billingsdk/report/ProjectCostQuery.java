package dev.billingsdk.report;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * Which cost rows of a tenant a report reads: those whose usage starts in {@code [from, to)}, and,
 * when a label is given, that carry it (the finance guide's "filter by module" is {@code
 * withLabel("module", "jupyter")}).
 */
public record ProjectCostQuery(
    TenantId tenant, Instant from, Instant to, Optional<CostLabel> label) {

  public ProjectCostQuery {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    // Bounds of a range over stored (whole-microsecond) usage starts: rounded up, which selects
    // exactly the rows the given bounds select (InputContract.bound).
    from = InputContract.bound(from, "from");
    to = InputContract.bound(to, "to");
    if (to.isBefore(from)) {
      throw new InvalidRequestException("to", to, "must not be before from " + from);
    }
    InvalidRequestException.requireNonNull(label, "label");
  }

  /** The rows whose usage starts at or after {@code from} and before {@code to}. */
  public static ProjectCostQuery between(TenantId tenant, Instant from, Instant to) {
    return new ProjectCostQuery(tenant, from, to, Optional.empty());
  }

  /** This query narrowed to the rows labelled {@code key=value}. */
  public ProjectCostQuery withLabel(String key, String value) {
    if (label.isPresent()) {
      throw new InvalidRequestException(
          "label", key + "=" + value, "was already set to " + label.get());
    }
    return new ProjectCostQuery(tenant, from, to, Optional.of(CostLabel.of(key, value)));
  }

  /** Whether {@code row} (of this query's tenant) is one this query reads. */
  public boolean matches(ProjectCostRow row) {
    return !row.usageStart().isBefore(from)
        && row.usageStart().isBefore(to)
        && label.map(row::has).orElse(true);
  }
}
