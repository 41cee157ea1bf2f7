package dev.billingsdk.jdbc;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.economy.Referral;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.economy.SettingsVersionConflictException;
import dev.billingsdk.jdbc.internal.EconomyCodec;
import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.spi.EconomyStore;
import dev.billingsdk.spi.StoreFailureException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link EconomyStore} on the host's {@link DataSource}, in the tables {@code
 * <prefix>economy_settings}, {@code <prefix>referrals} and {@code <prefix>referral_months} that
 * schema version 6 adds.
 *
 * <p>A settings version is one {@code INSERT} (a later version only when the one before it is
 * stored), whose primary key is the claim, as the catalogue's. A referral is one transaction: the
 * insert of its row, whose primary key (tenant, referred account) makes it once per account, and,
 * when it is proposed with a reward, a conditional {@code UPDATE} of the referrer's month counter
 * ({@code rewarded < cap}). Racing referrals of one referrer wait for each other on that row, so
 * the cap holds across processes; a referral that loses the race for its referred account rolls its
 * counter back with it.
 */
public final class JdbcEconomyStore implements EconomyStore {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final String settingsTable;
  private final String referrals;
  private final String months;

  private JdbcEconomyStore(DataSource dataSource, Dialect dialect, String prefix) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.settingsTable = prefix + "economy_settings";
    this.referrals = prefix + "referrals";
    this.months = prefix + "referral_months";
  }

  /**
   * The economy store on {@code dataSource}, in the tables under {@code tablePrefix} (the billing
   * store's, {@link Schema#DEFAULT_PREFIX} by default). The schema must already be at {@link
   * Schema#VERSION}.
   *
   * @throws SchemaVersionException if the schema is at another version
   * @throws StoreFailureException if the database cannot be reached
   */
  public static JdbcEconomyStore create(DataSource dataSource, String tablePrefix) {
    String prefix = Schema.checkPrefix(tablePrefix);
    return new JdbcEconomyStore(dataSource, StoreSupport.start(dataSource, prefix), prefix);
  }

  private static final String SETTINGS_COLUMNS =
      "tenant, version, changed_by, changed_by_roles, changed_at, reason, settings";

  @Override
  public void addSettings(SettingsVersion v) {
    InvalidRequestException.requireNonNull(v, "version");
    String sql =
        v.version() == 1
            ? "INSERT INTO "
                + settingsTable
                + " ("
                + SETTINGS_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
            : "INSERT INTO "
                + settingsTable
                + " ("
                + SETTINGS_COLUMNS
                + ") SELECT ?, ?, ?, ?, ?, ?, ? FROM "
                + settingsTable
                + " WHERE tenant = ? AND version = ?";
    int inserted;
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      c.setAutoCommit(true);
      s.setString(1, v.tenant().value());
      s.setInt(2, v.version());
      s.setString(3, v.actor().id());
      s.setString(4, StoredActors.roles(v.actor()));
      dialect.bindInstant(s, 5, v.at());
      s.setString(6, v.reason());
      s.setString(7, EconomyCodec.settings(v.settings()));
      if (v.version() > 1) {
        s.setString(8, v.tenant().value());
        s.setInt(9, v.version() - 1);
      }
      inserted = s.executeUpdate();
    } catch (SQLException e) {
      if (dialect.isUniqueViolation(e)) {
        throw conflict(v);
      }
      throw StoreSupport.failure("adding economy settings of " + v.tenant(), e);
    }
    if (inserted != 1) {
      throw conflict(v);
    }
  }

  private SettingsVersionConflictException conflict(SettingsVersion v) {
    int latest = latestSettings(v.tenant()).map(SettingsVersion::version).orElse(0);
    return new SettingsVersionConflictException(v.tenant(), v.version() - 1, latest);
  }

  @Override
  public Optional<SettingsVersion> latestSettings(TenantId tenant) {
    return selectSettings(" WHERE tenant = ? ORDER BY version DESC", 1, tenant.value()).stream()
        .findFirst();
  }

  @Override
  public Optional<SettingsVersion> settings(TenantId tenant, int version) {
    return selectSettings(" WHERE tenant = ? AND version = ?", 1, tenant.value(), version).stream()
        .findFirst();
  }

  @Override
  public List<SettingsVersion> settingsHistory(TenantId tenant) {
    return selectSettings(" WHERE tenant = ? ORDER BY version", 0, tenant.value());
  }

  private List<SettingsVersion> selectSettings(String where, int limit, Object... params) {
    String sql = "SELECT " + SETTINGS_COLUMNS + " FROM " + settingsTable + where;
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      if (limit > 0) {
        s.setMaxRows(limit);
      }
      List<SettingsVersion> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(
              new SettingsVersion(
                  TenantId.of(rs.getString("tenant")),
                  rs.getInt("version"),
                  EconomyCodec.settings(text(rs, "settings")),
                  StoredActors.actor(rs.getString("changed_by"), rs.getString("changed_by_roles")),
                  dialect.readInstant(rs, "changed_at"),
                  text(rs, "reason")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw StoreSupport.failure("reading economy settings", e);
    }
  }

  // ---------------------------------------------------------------- referrals

  private static final String REFERRAL_COLUMNS =
      "tenant, referred_id, referrer_id, referred_at, referral_month, reward, settings_version";

  @Override
  public RecordedReferral recordReferral(Referral referral, int monthlyCap) {
    InvalidRequestException.requireNonNull(referral, "referral");
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        Optional<RecordedReferral> done = recordOnce(c, referral, monthlyCap);
        if (done.isPresent()) {
          return done.get();
        }
      } catch (SQLException e) {
        // A unique violation here is H2's answer to two first inserts of one month counter: the
        // loser runs again and finds the row.
        boolean again = dialect.isRetryable(e) || dialect.isUniqueViolation(e);
        if (!again || attempt >= StoreSupport.MAX_ATTEMPTS) {
          throw StoreSupport.failure("recording the referral of " + referral.referred(), e);
        }
      }
      if (attempt >= StoreSupport.MAX_ATTEMPTS) {
        throw new StoreFailureException(
            "could not record the referral of " + referral.referred() + ": it kept racing",
            new IllegalStateException("a racing referral kept rolling back"));
      }
      StoreSupport.backOff(attempt);
    }
  }

  /** One try; empty when it lost a race that a new try settles. */
  private Optional<RecordedReferral> recordOnce(Connection c, Referral r, int cap)
      throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO "
                  + referrals
                  + " ("
                  + REFERRAL_COLUMNS
                  + ") VALUES (?, ?, ?, ?, ?, NULL, ?)")) {
        s.setString(1, r.tenant().value());
        s.setString(2, r.referred().value());
        s.setString(3, r.referrer().value());
        dialect.bindInstant(s, 4, r.at());
        s.setString(5, r.month().toString());
        s.setInt(6, r.settingsVersion());
        s.executeUpdate();
      } catch (SQLException e) {
        if (!dialect.isUniqueViolation(e)) {
          throw e;
        }
        // Referred before (or by a racing transaction): the earlier record stands.
        StoreSupport.rollbackQuietly(c);
        return selectReferrals(c, " WHERE tenant = ? AND referred_id = ?", r.tenant(), r.referred())
            .stream()
            .findFirst()
            .map(earlier -> new RecordedReferral(earlier, false));
      }
      Referral stored = r.unrewarded();
      if (r.rewarded() && claimReward(c, r, cap)) {
        try (PreparedStatement s =
            c.prepareStatement(
                "UPDATE " + referrals + " SET reward = ? WHERE tenant = ? AND referred_id = ?")) {
          s.setString(1, JsonCodec.amount(r.reward().orElseThrow()));
          s.setString(2, r.tenant().value());
          s.setString(3, r.referred().value());
          s.executeUpdate();
        }
        stored = r;
      }
      c.commit();
      return Optional.of(new RecordedReferral(stored, true));
    } catch (SQLException | RuntimeException e) {
      StoreSupport.rollbackQuietly(c);
      throw e;
    } finally {
      StoreSupport.restore(c, autoCommit);
    }
  }

  /** Counts one more rewarded referral of the referrer's month, if the cap allows it. */
  private boolean claimReward(Connection c, Referral r, int cap) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            dialect.insertIfAbsentSql(
                months,
                List.of("tenant", "referrer_id", "referral_month", "rewarded"),
                List.of("?", "?", "?", "0"),
                List.of("tenant", "referrer_id", "referral_month")))) {
      s.setString(1, r.tenant().value());
      s.setString(2, r.referrer().value());
      s.setString(3, r.month().toString());
      s.executeUpdate();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE "
                + months
                + " SET rewarded = rewarded + 1 WHERE tenant = ? AND referrer_id = ?"
                + " AND referral_month = ? AND (? < 0 OR rewarded < ?)")) {
      s.setString(1, r.tenant().value());
      s.setString(2, r.referrer().value());
      s.setString(3, r.month().toString());
      s.setInt(4, cap);
      s.setInt(5, cap);
      return s.executeUpdate() == 1;
    }
  }

  @Override
  public Optional<Referral> referralOf(TenantId tenant, AccountId referred) {
    return readReferrals(" WHERE tenant = ? AND referred_id = ?", tenant, referred).stream()
        .findFirst();
  }

  @Override
  public List<Referral> referralsBy(TenantId tenant, AccountId referrer) {
    // Sorted here, not by the database's collation: ids compare as Java strings everywhere.
    List<Referral> found =
        new ArrayList<>(readReferrals(" WHERE tenant = ? AND referrer_id = ?", tenant, referrer));
    found.sort(BY_TIME_THEN_REFERRED);
    return List.copyOf(found);
  }

  private static final Comparator<Referral> BY_TIME_THEN_REFERRED =
      Comparator.comparing(Referral::at).thenComparing(r -> r.referred().value());

  private List<Referral> readReferrals(String where, TenantId tenant, AccountId account) {
    try (Connection c = dataSource.getConnection()) {
      return selectReferrals(c, where, tenant, account);
    } catch (SQLException e) {
      throw StoreSupport.failure("reading referrals", e);
    }
  }

  private List<Referral> selectReferrals(
      Connection c, String where, TenantId tenant, AccountId account) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + REFERRAL_COLUMNS + " FROM " + referrals + where)) {
      s.setString(1, tenant.value());
      s.setString(2, account.value());
      List<Referral> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String reward = rs.getString("reward");
          out.add(
              new Referral(
                  TenantId.of(rs.getString("tenant")),
                  AccountId.of(rs.getString("referrer_id")),
                  AccountId.of(rs.getString("referred_id")),
                  dialect.readInstant(rs, "referred_at"),
                  YearMonth.parse(rs.getString("referral_month")),
                  reward == null ? Optional.empty() : Optional.of(JsonCodec.amount(reward)),
                  rs.getInt("settings_version")));
        }
      }
      return out;
    }
  }

  private static String text(ResultSet rs, String column) throws SQLException {
    @Nullable String value = rs.getString(column);
    if (value == null) {
      throw new IllegalArgumentException("stored " + column + " is null");
    }
    return value;
  }
}
