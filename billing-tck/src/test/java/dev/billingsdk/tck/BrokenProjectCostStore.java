package dev.billingsdk.tck;

import dev.billingsdk.TenantId;
import dev.billingsdk.report.CostLabel;
import dev.billingsdk.report.CostRowConflictException;
import dev.billingsdk.report.ProjectCostImport;
import dev.billingsdk.report.ProjectCostQuery;
import dev.billingsdk.report.ProjectCostRow;
import dev.billingsdk.spi.ProjectCostStore;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A project cost store as it is easily written wrong; each {@link Mistake} is one such error, and
 * {@link Mistake#NONE} is a correct (slow, list-based) store.
 */
final class BrokenProjectCostStore implements ProjectCostStore {

  enum Mistake {
    NONE,
    /** A changed row replaces the stored one instead of being refused. */
    OVERWRITES_CHANGED_ROWS,
    /** The rows before a conflict stay stored. */
    KEEPS_ROWS_BEFORE_A_CONFLICT,
    /** Checks the ids, then stores them without holding anything in between. */
    CHECK_THEN_INSERT,
    /** Stores a row repeated in the batch twice. */
    STORES_BATCH_REPEATS,
    /** The range includes rows starting at its end. */
    CLOSED_RANGE,
    /** Labels compare without case. */
    CASE_BLIND_LABELS,
    /** Sums skip negative costs (refunds). */
    SUMS_SKIP_NEGATIVE,
    /** Stores instants at the millisecond. */
    MILLISECOND_INSTANTS,
    /** Reads ignore the tenant. */
    TENANTS_MIXED
  }

  private record Stored(TenantId tenant, ProjectCostRow row) {}

  private final Mistake mistake;
  private final List<Stored> rows = new ArrayList<>();

  BrokenProjectCostStore(Mistake mistake) {
    this.mistake = mistake;
  }

  private boolean is(Mistake m) {
    return mistake == m;
  }

  private synchronized ProjectCostRow stored(TenantId tenant, String id) {
    for (Stored s : rows) {
      if (s.tenant().equals(tenant) && s.row().rowId().equals(id)) {
        return s.row();
      }
    }
    return null;
  }

  @Override
  public ProjectCostImport importRows(TenantId tenant, List<ProjectCostRow> batch) {
    if (is(Mistake.CHECK_THEN_INSERT)) {
      return importUnlocked(tenant, batch);
    }
    synchronized (this) {
      return importUnlocked(tenant, batch);
    }
  }

  private ProjectCostImport importUnlocked(TenantId tenant, List<ProjectCostRow> batch) {
    Map<String, ProjectCostRow> fresh = new LinkedHashMap<>();
    List<String> imported = new ArrayList<>();
    List<String> duplicates = new ArrayList<>();
    List<ProjectCostRow> toStore = new ArrayList<>();
    for (ProjectCostRow given : batch) {
      ProjectCostRow row = is(Mistake.MILLISECOND_INSTANTS) ? millis(given) : given;
      ProjectCostRow known = stored(tenant, row.rowId());
      if (known == null && !is(Mistake.STORES_BATCH_REPEATS)) {
        known = fresh.get(row.rowId());
      }
      if (known == null) {
        fresh.put(row.rowId(), row);
        imported.add(row.rowId());
        toStore.add(row);
      } else if (known.equals(row) || known.equals(given)) {
        duplicates.add(row.rowId());
      } else if (is(Mistake.OVERWRITES_CHANGED_ROWS)) {
        synchronized (this) {
          rows.removeIf(s -> s.tenant().equals(tenant) && s.row().rowId().equals(row.rowId()));
        }
        toStore.add(row);
        imported.add(row.rowId());
      } else {
        if (is(Mistake.KEEPS_ROWS_BEFORE_A_CONFLICT)) {
          store(tenant, toStore);
        }
        throw new CostRowConflictException(tenant, row.rowId());
      }
    }
    if (is(Mistake.CHECK_THEN_INSERT)) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    store(tenant, toStore);
    return new ProjectCostImport(imported, duplicates);
  }

  private synchronized void store(TenantId tenant, List<ProjectCostRow> toStore) {
    for (ProjectCostRow r : toStore) {
      rows.add(new Stored(tenant, r));
    }
  }

  private static ProjectCostRow millis(ProjectCostRow r) {
    return new ProjectCostRow(
        r.rowId(),
        r.service(),
        r.sku(),
        r.projectId(),
        r.projectName(),
        r.labels(),
        r.cost(),
        r.usageStart().truncatedTo(ChronoUnit.MILLIS),
        r.usageEnd().truncatedTo(ChronoUnit.MILLIS));
  }

  @Override
  public synchronized List<ProjectCostRow> find(ProjectCostQuery q) {
    List<ProjectCostRow> out = new ArrayList<>();
    for (Stored s : rows) {
      ProjectCostRow r = s.row();
      boolean tenantOk = is(Mistake.TENANTS_MIXED) || s.tenant().equals(q.tenant());
      boolean inRange =
          !r.usageStart().isBefore(q.from())
              && (r.usageStart().isBefore(q.to())
                  || (is(Mistake.CLOSED_RANGE) && r.usageStart().equals(q.to())));
      boolean labelled = q.label().map(l -> has(r, l)).orElse(true);
      if (tenantOk && inRange && labelled) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparing(ProjectCostRow::usageStart).thenComparing(ProjectCostRow::rowId));
    return out;
  }

  private boolean has(ProjectCostRow r, CostLabel l) {
    if (!is(Mistake.CASE_BLIND_LABELS)) {
      return r.has(l);
    }
    for (Map.Entry<String, String> e : r.labels().entrySet()) {
      if (e.getKey().equalsIgnoreCase(l.key())
          && e.getValue().toLowerCase(Locale.ROOT).equals(l.value().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<ProjectSum> sums(ProjectCostQuery q) {
    Map<List<Object>, ProjectSum> out = new LinkedHashMap<>();
    for (ProjectCostRow r : find(q)) {
      if (is(Mistake.SUMS_SKIP_NEGATIVE) && r.cost().isNegative()) {
        continue;
      }
      List<Object> key = List.of(r.projectId(), r.projectName(), r.cost().unit());
      ProjectSum b = out.get(key);
      out.put(
          key,
          b == null
              ? new ProjectSum(r.projectId(), r.projectName(), r.cost(), 1, r.usageStart())
              : new ProjectSum(
                  r.projectId(),
                  r.projectName(),
                  b.cost().plus(r.cost()),
                  b.rows() + 1,
                  Objects.requireNonNull(
                      r.usageStart().isAfter(b.latestUsageStart())
                          ? r.usageStart()
                          : b.latestUsageStart())));
    }
    return List.copyOf(out.values());
  }
}
