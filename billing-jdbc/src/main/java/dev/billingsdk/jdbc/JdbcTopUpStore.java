package dev.billingsdk.jdbc;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.spi.StoreFailureException;
import dev.billingsdk.spi.TopUpStore;
import dev.billingsdk.topup.TopUpRule;
import dev.billingsdk.topup.TopUpState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@link TopUpStore} on the host's {@link DataSource}, in the table {@code
 * <prefix>top_up_rules} that schema version 8 adds: a first rule is one {@code INSERT} (the primary
 * key deciding between two creators), every later write one {@code UPDATE} on the version it was
 * decided on.
 */
public final class JdbcTopUpStore implements TopUpStore {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final String table;

  private JdbcTopUpStore(DataSource dataSource, Dialect dialect, String prefix) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.table = prefix + "top_up_rules";
  }

  /**
   * The top-up store on {@code dataSource}, in the tables under {@code tablePrefix} (the billing
   * store's). The schema must already be at {@link Schema#VERSION}.
   *
   * @throws SchemaVersionException if the schema is at another version
   * @throws StoreFailureException if the database cannot be reached
   */
  public static JdbcTopUpStore create(DataSource dataSource, String tablePrefix) {
    String prefix = Schema.checkPrefix(tablePrefix);
    return new JdbcTopUpStore(dataSource, StoreSupport.start(dataSource, prefix), prefix);
  }

  private static final List<String> VALUES =
      List.of(
          "threshold",
          "package_id",
          "provider",
          "customer",
          "payment_method",
          "cooldown",
          "monthly_cap",
          "max_failures",
          "calendar_zone",
          "state",
          "failures",
          "pending_purchase",
          "requested",
          "last_top_up_at",
          "spent_month",
          "spent",
          "version");

  private static final String COLUMNS = "tenant, account_id, " + String.join(", ", VALUES);

  @Override
  public boolean save(Optional<TopUpRule> current, TopUpRule next) {
    InvalidRequestException.requireNonNull(current, "current");
    InvalidRequestException.requireNonNull(next, "next");
    if (current.isPresent() && next.version() != current.get().version() + 1) {
      return false;
    }
    String sql =
        current.isEmpty()
            ? "INSERT INTO "
                + table
                + " ("
                + COLUMNS
                + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(VALUES.size() + 2, "?"))
                + ")"
            : "UPDATE "
                + table
                + " SET "
                + String.join(" = ?, ", VALUES)
                + " = ? WHERE tenant = ? AND account_id = ? AND version = ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      c.setAutoCommit(true);
      int i = 1;
      if (current.isEmpty()) {
        p.setString(i++, next.tenant().value());
        p.setString(i++, next.account().value());
      }
      i = bind(p, i, next);
      if (current.isPresent()) {
        p.setString(i++, next.tenant().value());
        p.setString(i++, next.account().value());
        p.setLong(i, current.get().version());
      }
      return p.executeUpdate() == 1;
    } catch (SQLException e) {
      if (current.isEmpty() && dialect.isUniqueViolation(e)) {
        return false;
      }
      throw StoreSupport.failure("saving the top-up rule of " + next.account(), e);
    }
  }

  private int bind(PreparedStatement p, int from, TopUpRule r) throws SQLException {
    int i = from;
    p.setString(i++, JsonCodec.amount(r.threshold()));
    p.setString(i++, r.creditPackage().value());
    p.setString(i++, r.provider());
    p.setString(i++, r.customer());
    p.setString(i++, r.paymentMethod());
    p.setString(i++, r.cooldown().toString());
    p.setString(i++, JsonCodec.amount(r.monthlyCap()));
    p.setInt(i++, r.maxFailures());
    p.setString(i++, r.zone().getId());
    p.setString(i++, r.state().name());
    p.setInt(i++, r.failures());
    p.setString(i++, r.pending().map(PurchaseId::value).orElse(null));
    p.setLong(i++, r.requested());
    dialect.bindInstant(p, i++, r.lastTopUpAt().orElse(null));
    p.setString(i++, r.spentMonth().toString());
    p.setString(i++, JsonCodec.amount(r.spent()));
    p.setLong(i++, r.version());
    return i;
  }

  @Override
  public Optional<TopUpRule> rule(TenantId tenant, AccountId account) {
    return select(" WHERE tenant = ? AND account_id = ?", tenant.value(), account.value()).stream()
        .findFirst();
  }

  @Override
  public List<TopUpRule> rules(TenantId tenant) {
    List<TopUpRule> out = new ArrayList<>(select(" WHERE tenant = ?", tenant.value()));
    // Accounts compare as Java strings everywhere, whatever the database's collation.
    out.sort(Comparator.comparing(r -> r.account().value()));
    return List.copyOf(out);
  }

  private List<TopUpRule> select(String where, String... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + where)) {
      for (int i = 0; i < params.length; i++) {
        p.setString(i + 1, params[i]);
      }
      List<TopUpRule> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          String pending = rs.getString("pending_purchase");
          out.add(
              new TopUpRule(
                  TenantId.of(rs.getString("tenant")),
                  AccountId.of(rs.getString("account_id")),
                  JsonCodec.amount(rs.getString("threshold")),
                  PackageId.of(rs.getString("package_id")),
                  rs.getString("provider"),
                  rs.getString("customer"),
                  rs.getString("payment_method"),
                  Duration.parse(rs.getString("cooldown")),
                  JsonCodec.amount(rs.getString("monthly_cap")),
                  rs.getInt("max_failures"),
                  ZoneId.of(rs.getString("calendar_zone")),
                  TopUpState.valueOf(rs.getString("state")),
                  rs.getInt("failures"),
                  pending == null ? Optional.empty() : Optional.of(PurchaseId.of(pending)),
                  rs.getLong("requested"),
                  Optional.ofNullable(dialect.readInstantOrNull(rs, "last_top_up_at")),
                  YearMonth.parse(rs.getString("spent_month")),
                  JsonCodec.amount(rs.getString("spent")),
                  rs.getLong("version")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw StoreSupport.failure("reading top-up rules", e);
    }
  }
}
