package dev.billingsdk.jdbc;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.catalogue.CatalogueVersionConflictException;
import dev.billingsdk.catalogue.ChangeKind;
import dev.billingsdk.catalogue.ItemStatus;
import dev.billingsdk.catalogue.Revision;
import dev.billingsdk.jdbc.internal.CatalogueCodec;
import dev.billingsdk.spi.CatalogueStore;
import dev.billingsdk.spi.StoreFailureException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link CatalogueStore} on the host's {@link DataSource}, in the table {@code
 * <prefix>catalogue_versions} that schema version 4 adds (apply the schema with {@link
 * JdbcBillingStore.Builder#applySchema} or the shipped scripts first).
 *
 * <p>Adding a version is one {@code INSERT}: version 1 plainly, a later version only when the one
 * before it is stored ({@code INSERT ... SELECT} from that row). The primary key (tenant, kind,
 * item, version) is the claim, so of two processes adding the same version exactly one insert
 * succeeds; the other's unique violation, or an insert that found no version before it, is a {@link
 * CatalogueVersionConflictException} naming the version now latest.
 */
public final class JdbcCatalogueStore implements CatalogueStore {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final String table;

  private JdbcCatalogueStore(DataSource dataSource, Dialect dialect, String prefix) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.table = prefix + "catalogue_versions";
  }

  /**
   * The catalogue on {@code dataSource}, in the tables under {@code tablePrefix} (the billing
   * store's, {@link Schema#DEFAULT_PREFIX} by default). The schema must already be at {@link
   * Schema#VERSION}: {@link JdbcBillingStore.Builder#applySchema} or the shipped scripts apply it.
   *
   * @throws SchemaVersionException if the schema is at another version
   * @throws StoreFailureException if the database cannot be reached
   */
  public static JdbcCatalogueStore create(DataSource dataSource, String tablePrefix) {
    String prefix = Schema.checkPrefix(tablePrefix);
    return new JdbcCatalogueStore(dataSource, StoreSupport.start(dataSource, prefix), prefix);
  }

  private static final String COLUMNS =
      "tenant, kind, item_id, version, change_kind, status, changed_by, changed_by_roles,"
          + " changed_at, terms";

  @Override
  public void addVersion(CatalogueItem item) {
    InvalidRequestException.requireNonNull(item, "item");
    int version = item.revision().version();
    String sql =
        version == 1
            ? "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            : "INSERT INTO "
                + table
                + " ("
                + COLUMNS
                + ") SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM "
                + table
                + " WHERE tenant = ? AND kind = ? AND item_id = ? AND version = ?";
    int inserted;
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      c.setAutoCommit(true);
      s.setString(1, item.tenant().value());
      s.setString(2, item.kind().name());
      s.setString(3, item.itemId());
      s.setInt(4, version);
      s.setString(5, item.revision().change().name());
      s.setString(6, item.status().name());
      s.setString(7, item.revision().actor().id());
      s.setString(8, StoredActors.roles(item.revision().actor()));
      dialect.bindInstant(s, 9, item.revision().at());
      s.setString(10, CatalogueCodec.terms(item));
      if (version > 1) {
        s.setString(11, item.tenant().value());
        s.setString(12, item.kind().name());
        s.setString(13, item.itemId());
        s.setInt(14, version - 1);
      }
      inserted = s.executeUpdate();
    } catch (SQLException e) {
      if (dialect.isUniqueViolation(e)) {
        throw conflict(item);
      }
      throw new StoreFailureException("could not add catalogue version of " + item.itemId(), e);
    }
    if (inserted != 1) {
      throw conflict(item);
    }
  }

  private CatalogueVersionConflictException conflict(CatalogueItem item) {
    int latest =
        latest(item.tenant(), item.kind(), item.itemId())
            .map(i -> i.revision().version())
            .orElse(0);
    return new CatalogueVersionConflictException(
        item.itemId(), item.revision().version() - 1, latest);
  }

  @Override
  public Optional<CatalogueItem> latest(TenantId tenant, CatalogueItem.Kind kind, String itemId) {
    if (!StoreSupport.isIdentifier(itemId)) {
      return Optional.empty();
    }
    List<CatalogueItem> found =
        select(
            " WHERE tenant = ? AND kind = ? AND item_id = ? ORDER BY version DESC",
            1,
            tenant.value(),
            kind.name(),
            itemId);
    return found.stream().findFirst();
  }

  @Override
  public Optional<CatalogueItem> version(
      TenantId tenant, CatalogueItem.Kind kind, String itemId, int version) {
    if (!StoreSupport.isIdentifier(itemId)) {
      return Optional.empty();
    }
    return select(
            " WHERE tenant = ? AND kind = ? AND item_id = ? AND version = ?",
            1,
            tenant.value(),
            kind.name(),
            itemId,
            version)
        .stream()
        .findFirst();
  }

  @Override
  public List<CatalogueItem> versions(TenantId tenant, CatalogueItem.Kind kind, String itemId) {
    // An id the input contract refuses was never stored; on MariaDB's PAD SPACE collation
    // 'growth ' would otherwise find 'growth'.
    if (!StoreSupport.isIdentifier(itemId)) {
      return List.of();
    }
    return select(
        " WHERE tenant = ? AND kind = ? AND item_id = ? ORDER BY version",
        0,
        tenant.value(),
        kind.name(),
        itemId);
  }

  @Override
  public List<CatalogueItem> latestOfEach(TenantId tenant, CatalogueItem.Kind kind) {
    // Each item's row with the highest version: no later version of the same item exists.
    return select(
        " v WHERE tenant = ? AND kind = ? AND NOT EXISTS (SELECT 1 FROM "
            + table
            + " w WHERE w.tenant = v.tenant AND w.kind = v.kind AND w.item_id = v.item_id"
            + " AND w.version > v.version) ORDER BY item_id",
        0,
        tenant.value(),
        kind.name());
  }

  /** Rows of the table matching {@code where}; {@code limit} 0 means all. */
  private List<CatalogueItem> select(String where, int limit, Object... params) {
    String sql = "SELECT " + COLUMNS + " FROM " + table + where;
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      if (limit > 0) {
        s.setMaxRows(limit);
      }
      List<CatalogueItem> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreFailureException("could not read the catalogue", e);
    }
  }

  private CatalogueItem row(ResultSet rs) throws SQLException {
    String itemId = rs.getString("item_id");
    Revision revision =
        Revision.of(
            rs.getInt("version"),
            ChangeKind.valueOf(rs.getString("change_kind")),
            StoredActors.actor(rs.getString("changed_by"), rs.getString("changed_by_roles")),
            dialect.readInstant(rs, "changed_at"));
    return CatalogueCodec.item(
        CatalogueItem.Kind.valueOf(rs.getString("kind")),
        TenantId.of(rs.getString("tenant")),
        itemId,
        revision,
        ItemStatus.valueOf(rs.getString("status")),
        text(rs.getString("terms")));
  }

  private static String text(@Nullable String value) {
    if (value == null) {
      throw new IllegalArgumentException("stored catalogue terms are null");
    }
    return value;
  }
}
