package dev.billingsdk.jdbc;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.report.CostLabel;
import dev.billingsdk.report.CostRowConflictException;
import dev.billingsdk.report.ProjectCostImport;
import dev.billingsdk.report.ProjectCostQuery;
import dev.billingsdk.report.ProjectCostRow;
import dev.billingsdk.spi.ProjectCostStore;
import dev.billingsdk.spi.StoreFailureException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ProjectCostStore} on the host's {@link DataSource}, in the tables {@code
 * <prefix>project_costs} and {@code <prefix>project_cost_labels} that schema version 10 adds.
 *
 * <p>An import is one transaction: it reads the stored rows with the batch's ids (by primary key),
 * decides duplicates and conflicts in Java, and inserts the new rows and their labels. The primary
 * key is the claim: of two imports racing for a row, the second insert fails with a unique
 * violation, and that import runs again, finding the row stored. A range query reads the {@code
 * (tenant, usage_start)} index; a label query starts from the {@code (tenant, label_key,
 * label_value)} index; sums are one {@code GROUP BY}. Rows are sorted in Java, so ids order as Java
 * strings on every database.
 */
public final class JdbcProjectCostStore implements ProjectCostStore {
  /** Ids per {@code IN (..)} list. */
  private static final int CHUNK = 500;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String costs;
  private final String labels;

  private JdbcProjectCostStore(DataSource dataSource, Dialect dialect, String prefix) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.costs = prefix + "project_costs";
    this.labels = prefix + "project_cost_labels";
  }

  /**
   * The project cost store on {@code dataSource}, in the tables under {@code tablePrefix} (the
   * billing store's, {@link Schema#DEFAULT_PREFIX} by default). The schema must already be at
   * {@link Schema#VERSION}.
   *
   * @throws SchemaVersionException if the schema is at another version
   * @throws StoreFailureException if the database cannot be reached
   */
  public static JdbcProjectCostStore create(DataSource dataSource, String tablePrefix) {
    String prefix = Schema.checkPrefix(tablePrefix);
    return new JdbcProjectCostStore(dataSource, StoreSupport.start(dataSource, prefix), prefix);
  }

  private static final String COLUMNS =
      "c.row_id, c.service, c.sku, c.project_id, c.project_name, c.currency, c.cost_minor,"
          + " c.usage_start, c.usage_end";

  // ---------------------------------------------------------------- import

  @Override
  public ProjectCostImport importRows(TenantId tenant, List<ProjectCostRow> rows) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    List<ProjectCostRow> batch = List.copyOf(InvalidRequestException.requireNonNull(rows, "rows"));
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        return importOnce(c, tenant, batch);
      } catch (SQLException e) {
        // A unique violation is a racing import of one of the rows: run again and find it stored.
        boolean again = dialect.isRetryable(e) || dialect.isUniqueViolation(e);
        if (!again || attempt >= StoreSupport.MAX_ATTEMPTS) {
          throw StoreSupport.failure("importing " + batch.size() + " cost rows of " + tenant, e);
        }
      }
      StoreSupport.backOff(attempt);
    }
  }

  private ProjectCostImport importOnce(Connection c, TenantId tenant, List<ProjectCostRow> batch)
      throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      Set<String> ids = new LinkedHashSet<>();
      for (ProjectCostRow row : batch) {
        ids.add(row.rowId());
      }
      Map<String, ProjectCostRow> known = new HashMap<>(byIds(c, tenant, new ArrayList<>(ids)));
      List<ProjectCostRow> fresh = new ArrayList<>();
      List<String> imported = new ArrayList<>();
      List<String> duplicates = new ArrayList<>();
      for (ProjectCostRow row : batch) {
        ProjectCostRow earlier = known.get(row.rowId());
        if (earlier == null) {
          known.put(row.rowId(), row);
          fresh.add(row);
          imported.add(row.rowId());
        } else if (earlier.equals(row)) {
          duplicates.add(row.rowId());
        } else {
          StoreSupport.rollbackQuietly(c);
          throw new CostRowConflictException(tenant, row.rowId());
        }
      }
      insert(c, tenant, fresh);
      c.commit();
      return new ProjectCostImport(imported, duplicates);
    } catch (SQLException | RuntimeException e) {
      StoreSupport.rollbackQuietly(c);
      throw e;
    } finally {
      StoreSupport.restore(c, autoCommit);
    }
  }

  private void insert(Connection c, TenantId tenant, List<ProjectCostRow> fresh)
      throws SQLException {
    if (fresh.isEmpty()) {
      return;
    }
    boolean anyLabel = false;
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + costs
                + " (tenant, row_id, service, sku, project_id, project_name, currency, cost_minor,"
                + " usage_start, usage_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (ProjectCostRow r : fresh) {
        s.setString(1, tenant.value());
        s.setString(2, r.rowId());
        s.setString(3, r.service());
        s.setString(4, r.sku());
        s.setString(5, r.projectId());
        s.setString(6, r.projectName());
        s.setString(7, r.currency().code());
        s.setLong(8, r.cost().minor());
        dialect.bindInstant(s, 9, r.usageStart());
        dialect.bindInstant(s, 10, r.usageEnd());
        s.addBatch();
        anyLabel |= !r.labels().isEmpty();
      }
      s.executeBatch();
    }
    if (!anyLabel) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + labels
                + " (tenant, row_id, label_key, label_value) VALUES (?, ?, ?, ?)")) {
      for (ProjectCostRow r : fresh) {
        for (Map.Entry<String, String> l : r.labels().entrySet()) {
          s.setString(1, tenant.value());
          s.setString(2, r.rowId());
          s.setString(3, l.getKey());
          s.setString(4, l.getValue());
          s.addBatch();
        }
      }
      s.executeBatch();
    }
  }

  /** The stored rows of these ids (ids are identifiers: no PAD SPACE look-alikes). */
  private Map<String, ProjectCostRow> byIds(Connection c, TenantId tenant, List<String> ids)
      throws SQLException {
    Map<String, ProjectCostRow> out = new HashMap<>();
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      String in = " IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
      // Rows first, then their labels: a row seen has its labels committed with it.
      List<Stored> stored = new ArrayList<>();
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT " + COLUMNS + " FROM " + costs + " c WHERE c.tenant = ? AND c.row_id" + in)) {
        bindIds(s, tenant, chunk);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            stored.add(readStored(rs));
          }
        }
      }
      Map<String, Map<String, String>> labelsOf = new HashMap<>();
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT row_id, label_key, label_value FROM "
                  + labels
                  + " WHERE tenant = ? AND row_id"
                  + in)) {
        bindIds(s, tenant, chunk);
        try (ResultSet rs = s.executeQuery()) {
          readLabels(rs, labelsOf);
        }
      }
      for (Stored row : stored) {
        if (chunk.contains(row.id())) {
          out.put(row.id(), row.with(labelsOf));
        }
      }
    }
    return out;
  }

  private static void bindIds(PreparedStatement s, TenantId tenant, List<String> ids)
      throws SQLException {
    s.setString(1, tenant.value());
    for (int i = 0; i < ids.size(); i++) {
      s.setString(i + 2, ids.get(i));
    }
  }

  // ---------------------------------------------------------------- queries

  /** {@code FROM costs c [JOIN labels f] WHERE tenant and range [and label]}, and its binding. */
  private String from(ProjectCostQuery q) {
    return from(q, false);
  }

  private String from(ProjectCostQuery q, boolean withLabels) {
    String sql = " FROM " + costs + " c";
    if (withLabels) {
      sql += " JOIN " + labels + " l ON l.tenant = c.tenant AND l.row_id = c.row_id";
    }
    if (q.label().isPresent()) {
      sql +=
          " JOIN "
              + labels
              + " f ON f.tenant = c.tenant AND f.row_id = c.row_id AND f.label_key = ?"
              + " AND f.label_value = ?"
              // MariaDB compares with PAD SPACE: 'x ' would equal 'x' without the length.
              + (dialect == Dialect.MARIADB
                  ? " AND CHAR_LENGTH(f.label_value) = CHAR_LENGTH(?)"
                  : "");
    }
    return sql + " WHERE c.tenant = ? AND c.usage_start >= ? AND c.usage_start < ?";
  }

  private int bind(PreparedStatement s, ProjectCostQuery q) throws SQLException {
    int i = 1;
    Optional<CostLabel> label = q.label();
    if (label.isPresent()) {
      s.setString(i++, label.get().key());
      s.setString(i++, label.get().value());
      if (dialect == Dialect.MARIADB) {
        s.setString(i++, label.get().value());
      }
    }
    s.setString(i++, q.tenant().value());
    dialect.bindInstant(s, i++, q.from());
    dialect.bindInstant(s, i++, q.to());
    return i;
  }

  private static final Comparator<ProjectCostRow> BY_START_THEN_ID =
      Comparator.comparing(ProjectCostRow::usageStart).thenComparing(ProjectCostRow::rowId);

  @Override
  public List<ProjectCostRow> find(ProjectCostQuery query) {
    InvalidRequestException.requireNonNull(query, "query");
    if (!query.from().isBefore(query.to())) {
      return List.of();
    }
    try (Connection c = dataSource.getConnection()) {
      // Rows first, then their labels: a row seen has its labels committed with it.
      List<Stored> stored = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + from(query))) {
        bind(s, query);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            stored.add(readStored(rs));
          }
        }
      }
      Map<String, Map<String, String>> labelsOf = new HashMap<>();
      try (PreparedStatement s =
          c.prepareStatement("SELECT l.row_id, l.label_key, l.label_value" + from(query, true))) {
        bind(s, query);
        try (ResultSet rs = s.executeQuery()) {
          readLabels(rs, labelsOf);
        }
      }
      List<ProjectCostRow> out = new ArrayList<>(stored.size());
      for (Stored row : stored) {
        out.add(row.with(labelsOf));
      }
      out.sort(BY_START_THEN_ID);
      return List.copyOf(out);
    } catch (SQLException e) {
      throw StoreSupport.failure("reading cost rows of " + query.tenant(), e);
    }
  }

  @Override
  public List<ProjectSum> sums(ProjectCostQuery query) {
    InvalidRequestException.requireNonNull(query, "query");
    if (!query.from().isBefore(query.to())) {
      return List.of();
    }
    String sql =
        "SELECT c.project_id, c.project_name, c.currency, SUM(c.cost_minor) AS total,"
            + " COUNT(*) AS n, MAX(c.usage_start) AS latest"
            + from(query)
            + " GROUP BY c.project_id, c.project_name, c.currency";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, query);
      List<ProjectSum> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          CurrencyUnit currency = CurrencyUnit.of(text(rs, "currency"));
          BigDecimal total = rs.getBigDecimal("total");
          long minor;
          try {
            minor = total.longValueExact();
          } catch (ArithmeticException e) {
            throw new AmountOverflowException("the sum of cost rows " + total.toPlainString());
          }
          out.add(
              new ProjectSum(
                  text(rs, "project_id"),
                  text(rs, "project_name"),
                  Amount.ofMinor(currency, minor),
                  rs.getLong("n"),
                  dialect.readInstant(rs, "latest")));
        }
      }
      return List.copyOf(out);
    } catch (SQLException e) {
      throw StoreSupport.failure("summing cost rows of " + query.tenant(), e);
    }
  }

  // ---------------------------------------------------------------- reading

  private static void readLabels(ResultSet rs, Map<String, Map<String, String>> into)
      throws SQLException {
    while (rs.next()) {
      into.computeIfAbsent(text(rs, "row_id"), k -> new TreeMap<>())
          .put(text(rs, "label_key"), text(rs, "label_value"));
    }
  }

  /** A stored row as read, before its labels. */
  private record Stored(
      String id,
      String service,
      String sku,
      String projectId,
      String projectName,
      Amount cost,
      Instant start,
      Instant end) {
    ProjectCostRow with(Map<String, Map<String, String>> labelsOf) {
      Map<String, String> mine = labelsOf.get(id);
      return new ProjectCostRow(
          id,
          service,
          sku,
          projectId,
          projectName,
          mine == null ? Map.of() : mine,
          cost,
          start,
          end);
    }
  }

  private Stored readStored(ResultSet rs) throws SQLException {
    return new Stored(
        text(rs, "row_id"),
        text(rs, "service"),
        text(rs, "sku"),
        text(rs, "project_id"),
        text(rs, "project_name"),
        Amount.ofMinor(CurrencyUnit.of(text(rs, "currency")), rs.getLong("cost_minor")),
        dialect.readInstant(rs, "usage_start"),
        dialect.readInstant(rs, "usage_end"));
  }

  private static String text(ResultSet rs, String column) throws SQLException {
    @Nullable String value = rs.getString(column);
    if (value == null) {
      throw new IllegalArgumentException("stored " + column + " is null");
    }
    return value;
  }
}
