package dev.billingsdk.memory;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.report.CostLabel;
import dev.billingsdk.report.CostRowConflictException;
import dev.billingsdk.report.ProjectCostImport;
import dev.billingsdk.report.ProjectCostQuery;
import dev.billingsdk.report.ProjectCostRow;
import dev.billingsdk.spi.ProjectCostStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ProjectCostStore} in memory: for tests, examples and single-process hosts. Rows are
 * indexed by usage start and by label, as a database would index them, so a query reads only the
 * rows it returns.
 */
public final class InMemoryProjectCostStore implements ProjectCostStore {

  private static final Comparator<ProjectCostRow> BY_START_THEN_ID =
      Comparator.comparing(ProjectCostRow::usageStart).thenComparing(ProjectCostRow::rowId);

  /** One tenant's rows; every access holds its monitor. */
  private static final class Tenant {
    final Map<String, ProjectCostRow> byId = new HashMap<>();
    final NavigableSet<ProjectCostRow> byStart = new TreeSet<>(BY_START_THEN_ID);
    final Map<CostLabel, NavigableSet<ProjectCostRow>> byLabel = new HashMap<>();
  }

  private final Map<TenantId, Tenant> tenants = new ConcurrentHashMap<>();

  private InMemoryProjectCostStore() {}

  public static InMemoryProjectCostStore create() {
    return new InMemoryProjectCostStore();
  }

  private Tenant of(TenantId tenant) {
    return tenants.computeIfAbsent(tenant, t -> new Tenant());
  }

  @Override
  public ProjectCostImport importRows(TenantId tenant, List<ProjectCostRow> rows) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(rows, "rows");
    Tenant t = of(tenant);
    synchronized (t) {
      Map<String, ProjectCostRow> fresh = new LinkedHashMap<>();
      List<String> imported = new ArrayList<>();
      List<String> duplicates = new ArrayList<>();
      for (ProjectCostRow row : rows) {
        InvalidRequestException.requireNonNull(row, "rows[]");
        ProjectCostRow known = t.byId.get(row.rowId());
        if (known == null) {
          known = fresh.get(row.rowId());
        }
        if (known == null) {
          fresh.put(row.rowId(), row);
          imported.add(row.rowId());
        } else if (known.equals(row)) {
          duplicates.add(row.rowId());
        } else {
          throw new CostRowConflictException(tenant, row.rowId());
        }
      }
      for (ProjectCostRow row : fresh.values()) {
        t.byId.put(row.rowId(), row);
        t.byStart.add(row);
        for (Map.Entry<String, String> l : row.labels().entrySet()) {
          t.byLabel
              .computeIfAbsent(
                  CostLabel.of(l.getKey(), l.getValue()), k -> new TreeSet<>(BY_START_THEN_ID))
              .add(row);
        }
      }
      return new ProjectCostImport(imported, duplicates);
    }
  }

  @Override
  public List<ProjectCostRow> find(ProjectCostQuery query) {
    InvalidRequestException.requireNonNull(query, "query");
    Tenant t = of(query.tenant());
    synchronized (t) {
      NavigableSet<ProjectCostRow> index =
          query.label().isPresent() ? t.byLabel.get(query.label().get()) : t.byStart;
      if (index == null || !query.from().isBefore(query.to())) {
        return List.of();
      }
      List<ProjectCostRow> out = new ArrayList<>();
      for (ProjectCostRow row : index.tailSet(probe(query.from()), true)) {
        if (!row.usageStart().isBefore(query.to())) {
          break;
        }
        out.add(row);
      }
      return List.copyOf(out);
    }
  }

  /**
   * A row that sorts before every row starting at {@code at}: "!" is the lowest identifier (an id
   * cannot start with a control character or white space), and a row with that id sorts equal.
   */
  private static ProjectCostRow probe(Instant at) {
    return new ProjectCostRow(
        "!", "probe", "probe", "probe", "probe", Map.of(), PROBE_COST, at, at);
  }

  private static final Amount PROBE_COST = Amount.zero(CurrencyUnit.of("USD"));

  @Override
  public List<ProjectSum> sums(ProjectCostQuery query) {
    Map<List<Object>, ProjectSum> sums = new LinkedHashMap<>();
    for (ProjectCostRow row : find(query)) {
      List<Object> key = List.of(row.projectId(), row.projectName(), row.cost().unit());
      ProjectSum before = sums.get(key);
      sums.put(
          key,
          before == null
              ? new ProjectSum(row.projectId(), row.projectName(), row.cost(), 1, row.usageStart())
              : new ProjectSum(
                  row.projectId(),
                  row.projectName(),
                  before.cost().plus(row.cost()),
                  before.rows() + 1,
                  row.usageStart().isAfter(before.latestUsageStart())
                      ? row.usageStart()
                      : before.latestUsageStart()));
    }
    return List.copyOf(sums.values());
  }
}
