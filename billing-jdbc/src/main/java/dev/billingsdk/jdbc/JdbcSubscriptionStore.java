package dev.billingsdk.jdbc;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.spi.StoreFailureException;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.subscription.PlanRef;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionId;
import dev.billingsdk.subscription.SubscriptionState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SubscriptionStore} on the host's {@link DataSource}, in the tables {@code
 * <prefix>subscriptions} and {@code <prefix>subscription_changes} that schema version 7 adds.
 *
 * <p>A subscription is created with its first change in one transaction, the primary key deciding
 * between two creators. A change is one transaction: an {@code UPDATE} on the version it was
 * decided on, then the {@code INSERT} of the change, whose unique cause per subscription rolls a
 * repeated cause back with the update. The renewal job's due list is read through the index on
 * (tenant, next_action_at, subscription_id).
 */
public final class JdbcSubscriptionStore implements SubscriptionStore {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final String table;
  private final String changes;

  private JdbcSubscriptionStore(DataSource dataSource, Dialect dialect, String prefix) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.table = prefix + "subscriptions";
    this.changes = prefix + "subscription_changes";
  }

  /**
   * The subscription store on {@code dataSource}, in the tables under {@code tablePrefix} (the
   * billing store's). The schema must already be at {@link Schema#VERSION}.
   *
   * @throws SchemaVersionException if the schema is at another version
   * @throws StoreFailureException if the database cannot be reached
   */
  public static JdbcSubscriptionStore create(DataSource dataSource, String tablePrefix) {
    String prefix = Schema.checkPrefix(tablePrefix);
    return new JdbcSubscriptionStore(dataSource, StoreSupport.start(dataSource, prefix), prefix);
  }

  private static final List<String> MUTABLE =
      List.of(
          "plan_id",
          "plan_version",
          "next_plan_id",
          "next_plan_version",
          "price",
          "state",
          "anchor_at",
          "paid_periods",
          "cancel_at_period_end",
          "ended_at",
          "customer",
          "payment_method",
          "failed_attempts",
          "next_attempt_at",
          "next_action_at",
          "version");

  private static final String COLUMNS =
      "tenant, subscription_id, account_id, cadence, provider, calendar_zone, created_at,"
          + " trial_end, "
          + String.join(", ", MUTABLE);

  private static final String CHANGE_COLUMNS =
      "tenant, subscription_id, version, from_state, to_state, kind, changed_at, actor, cause,"
          + " detail";

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  @Override
  public Subscription createIfAbsent(Subscription s, SubscriptionChange created) {
    InvalidRequestException.requireNonNull(s, "subscription");
    InvalidRequestException.requireNonNull(created, "created");
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (" + marks(24) + ")")) {
            p.setString(1, s.tenant().value());
            p.setString(2, s.id().value());
            p.setString(3, s.account().value());
            p.setString(4, s.cadence().toString());
            p.setString(5, s.provider());
            p.setString(6, s.zone().getId());
            dialect.bindInstant(p, 7, s.createdAt());
            dialect.bindInstant(p, 8, s.trialEnd().orElse(null));
            bindMutable(p, 9, s);
            p.executeUpdate();
          }
          insertChange(c, created);
          c.commit();
          return s;
        } catch (SQLException e) {
          StoreSupport.rollbackQuietly(c);
          if (!dialect.isUniqueViolation(e)) {
            throw e;
          }
        } finally {
          StoreSupport.restore(c, autoCommit);
        }
        Optional<Subscription> stored = subscription(s.tenant(), s.id());
        if (stored.isPresent()) {
          return stored.get();
        }
      } catch (SQLException e) {
        if (!dialect.isRetryable(e) || attempt >= StoreSupport.MAX_ATTEMPTS) {
          throw StoreSupport.failure("creating subscription " + s.id(), e);
        }
      }
      if (attempt >= StoreSupport.MAX_ATTEMPTS) {
        throw new StoreFailureException(
            "could not create subscription " + s.id() + ": it kept racing",
            new IllegalStateException("a racing creation kept rolling back"));
      }
      StoreSupport.backOff(attempt);
    }
  }

  private int bindMutable(PreparedStatement p, int from, Subscription s) throws SQLException {
    int i = from;
    p.setString(i++, s.plan().plan().value());
    p.setInt(i++, s.plan().version());
    p.setString(i++, s.nextPlan().map(r -> r.plan().value()).orElse(null));
    if (s.nextPlan().isPresent()) {
      p.setInt(i++, s.nextPlan().get().version());
    } else {
      p.setNull(i++, Types.INTEGER);
    }
    p.setString(i++, JsonCodec.amount(s.price()));
    p.setString(i++, s.state().name());
    dialect.bindInstant(p, i++, s.anchor());
    p.setInt(i++, s.paidPeriods());
    p.setBoolean(i++, s.cancelAtPeriodEnd());
    dialect.bindInstant(p, i++, s.endedAt().orElse(null));
    p.setString(i++, s.customer().orElse(null));
    p.setString(i++, s.paymentMethod().orElse(null));
    p.setInt(i++, s.failedAttempts());
    dialect.bindInstant(p, i++, s.nextAttemptAt().orElse(null));
    dialect.bindInstant(p, i++, s.nextActionAt().orElse(null));
    p.setLong(i++, s.version());
    return i;
  }

  private void insertChange(Connection c, SubscriptionChange ch) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO " + changes + " (" + CHANGE_COLUMNS + ") VALUES (" + marks(10) + ")")) {
      p.setString(1, ch.tenant().value());
      p.setString(2, ch.subscription().value());
      p.setLong(3, ch.version());
      p.setString(4, ch.from().name());
      p.setString(5, ch.to().name());
      p.setString(6, ch.kind().name());
      dialect.bindInstant(p, 7, ch.at());
      p.setString(8, ch.actor());
      p.setString(9, ch.cause());
      p.setString(10, ch.detail());
      p.executeUpdate();
    }
  }

  @Override
  public boolean update(Subscription current, Subscription next, SubscriptionChange change) {
    InvalidRequestException.requireNonNull(current, "current");
    InvalidRequestException.requireNonNull(next, "next");
    InvalidRequestException.requireNonNull(change, "change");
    if (next.version() != current.version() + 1) {
      return false;
    }
    String set = String.join(" = ?, ", MUTABLE) + " = ?";
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
          int updated;
          try (PreparedStatement p =
              c.prepareStatement(
                  "UPDATE "
                      + table
                      + " SET "
                      + set
                      + " WHERE tenant = ? AND subscription_id = ? AND version = ?")) {
            int i = bindMutable(p, 1, next);
            p.setString(i++, current.tenant().value());
            p.setString(i++, current.id().value());
            p.setLong(i, current.version());
            updated = p.executeUpdate();
          }
          if (updated != 1) {
            c.rollback();
            return false;
          }
          try {
            insertChange(c, change);
          } catch (SQLException e) {
            if (!dialect.isUniqueViolation(e)) {
              throw e;
            }
            // The cause was applied before: the update goes back with it.
            StoreSupport.rollbackQuietly(c);
            return false;
          }
          c.commit();
          return true;
        } catch (SQLException | RuntimeException e) {
          StoreSupport.rollbackQuietly(c);
          throw e;
        } finally {
          StoreSupport.restore(c, autoCommit);
        }
      } catch (SQLException e) {
        if (!dialect.isRetryable(e) || attempt >= StoreSupport.MAX_ATTEMPTS) {
          throw StoreSupport.failure("changing subscription " + current.id(), e);
        }
        StoreSupport.backOff(attempt);
      }
    }
  }

  @Override
  public Optional<Subscription> subscription(TenantId tenant, SubscriptionId id) {
    return select(" WHERE tenant = ? AND subscription_id = ?", 0, tenant.value(), id.value())
        .stream()
        .findFirst();
  }

  @Override
  public List<SubscriptionChange> changes(TenantId tenant, SubscriptionId id) {
    String sql =
        "SELECT "
            + CHANGE_COLUMNS
            + " FROM "
            + changes
            + " WHERE tenant = ? AND subscription_id = ? ORDER BY version";
    try (Connection c = dataSource.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, tenant.value());
      p.setString(2, id.value());
      List<SubscriptionChange> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(
              new SubscriptionChange(
                  TenantId.of(rs.getString("tenant")),
                  SubscriptionId.of(rs.getString("subscription_id")),
                  rs.getLong("version"),
                  SubscriptionState.valueOf(rs.getString("from_state")),
                  SubscriptionState.valueOf(rs.getString("to_state")),
                  SubscriptionChange.Kind.valueOf(rs.getString("kind")),
                  dialect.readInstant(rs, "changed_at"),
                  rs.getString("actor"),
                  rs.getString("cause"),
                  rs.getString("detail")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw StoreSupport.failure("reading the changes of subscription " + id, e);
    }
  }

  @Override
  public List<Subscription> due(TenantId tenant, Instant at, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM "
                    + table
                    + " WHERE tenant = ? AND next_action_at <= ?"
                    + " ORDER BY next_action_at, subscription_id")) {
      p.setString(1, tenant.value());
      dialect.bindInstant(p, 2, at);
      p.setMaxRows(limit);
      List<Subscription> out = rows(p);
      // Ids compare as Java strings everywhere, whatever the database's collation.
      out.sort(
          Comparator.comparing((Subscription s) -> s.nextActionAt().orElseThrow())
              .thenComparing(s -> s.id().value()));
      return out;
    } catch (SQLException e) {
      throw StoreSupport.failure("reading the due subscriptions", e);
    }
  }

  @Override
  public List<Subscription> subscriptionsOf(TenantId tenant, AccountId account) {
    List<Subscription> out =
        new ArrayList<>(
            select(" WHERE tenant = ? AND account_id = ?", 0, tenant.value(), account.value()));
    out.sort(Comparator.comparing(Subscription::createdAt).thenComparing(s -> s.id().value()));
    return out;
  }

  private List<Subscription> select(String where, int limit, String... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + where)) {
      for (int i = 0; i < params.length; i++) {
        p.setString(i + 1, params[i]);
      }
      if (limit > 0) {
        p.setMaxRows(limit);
      }
      return rows(p);
    } catch (SQLException e) {
      throw StoreSupport.failure("reading subscriptions", e);
    }
  }

  private List<Subscription> rows(PreparedStatement p) throws SQLException {
    List<Subscription> out = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        out.add(row(rs));
      }
    }
    return out;
  }

  private Subscription row(ResultSet rs) throws SQLException {
    String nextPlan = rs.getString("next_plan_id");
    int nextVersion = rs.getInt("next_plan_version");
    return new Subscription(
        TenantId.of(rs.getString("tenant")),
        SubscriptionId.of(rs.getString("subscription_id")),
        AccountId.of(rs.getString("account_id")),
        PlanRef.of(PlanId.of(rs.getString("plan_id")), rs.getInt("plan_version")),
        nextPlan == null
            ? Optional.empty()
            : Optional.of(PlanRef.of(PlanId.of(nextPlan), nextVersion)),
        Period.parse(rs.getString("cadence")),
        JsonCodec.amount(rs.getString("price")),
        rs.getString("provider"),
        SubscriptionState.valueOf(rs.getString("state")),
        ZoneId.of(rs.getString("calendar_zone")),
        dialect.readInstant(rs, "created_at"),
        dialect.readInstant(rs, "anchor_at"),
        rs.getInt("paid_periods"),
        optionalInstant(rs, "trial_end"),
        rs.getBoolean("cancel_at_period_end"),
        optionalInstant(rs, "ended_at"),
        Optional.ofNullable(rs.getString("customer")),
        Optional.ofNullable(rs.getString("payment_method")),
        rs.getInt("failed_attempts"),
        optionalInstant(rs, "next_attempt_at"),
        rs.getLong("version"));
  }

  private Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
    @Nullable Instant value = dialect.readInstantOrNull(rs, column);
    return Optional.ofNullable(value);
  }
}
