package dev.billingsdk.jdbc;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.jdbc.TransactionReader.Binder;
import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The rows of {@link JdbcBillingStore}'s tables as the SPI's values (accounts, grants,
 * reservations; meters, usage events, rating cursors, rated lines), the column lists and selects
 * that read them, and the small binders every query of the store shares.
 */
final class StoreRows {
  static final String METER_COLUMNS =
      "tenant, meter_key, aggregation, unit, dimensions, key_dimension, heartbeat_timeout_seconds";

  static final String EVENT_COLUMNS =
      "tenant, event_id, account, meter, quantity, occurred_at, dimensions, fingerprint, sequence,"
          + " received_at";

  static final String CURSOR_COLUMNS =
      "tenant, account, meter, version, rated_until, rated_sequence, ingested_sequence, state";

  static final String LINE_COLUMNS =
      "tenant, account, meter, cursor_version, line_number, window_start, window_end, period_year,"
          + " period_month, dimensions, dimension_key, dimension_digest, quantity, credits,"
          + " unit_code, unit_scale, unit_currency, posting";

  /**
   * The columns a ledger transaction is inserted with, in the order every writer binds them. The
   * last, {@code invoice}, repeats the {@link LedgerTransaction#REF_INVOICE} reference for its
   * index ({@link #invoiceOf}).
   */
  static final String TRANSACTION_COLUMNS =
      "tenant, transaction_id, account_id, type, idempotency_key, fingerprint, actor, actor_roles,"
          + " reason, recorded_at, effective_at, refs, corrects, sequence, invoice";

  /** The invoice a transaction applies credits to, or null: the {@code invoice} column. */
  static @Nullable String invoiceOf(LedgerTransaction t) {
    return t.references().get(LedgerTransaction.REF_INVOICE);
  }

  /** The columns a grant is inserted with. */
  static final String GRANT_COLUMNS =
      "tenant, grant_id, account_id, name, category, priority, amount, effective_from, expires_at,"
          + " scope, cost_basis, metadata, created_by, created_by_roles, created_at, sequence,"
          + " remaining, voided, live";

  /** The columns a posting is inserted with. */
  static final String POSTING_COLUMNS =
      "tenant, transaction_id, position, ledger_account, grant_id, amount";

  /** The columns a reservation is inserted with. */
  static final String RESERVATION_COLUMNS =
      "tenant, reservation_id, account_id, kind, item_code, held, hold_transaction, created_at,"
          + " expires_at, state, resolution, sequence";

  /** A rating cursor's key columns, in the order cursors are locked and paged. */
  static final List<String> CURSOR_KEY = List.of("tenant", "account", "meter");

  private final Dialect dialect;
  private final String prefix;

  final String accountColumns;
  final String grantSelect;
  final String reservationSelect;

  StoreRows(Dialect dialect, String prefix) {
    this.dialect = dialect;
    this.prefix = prefix;
    this.accountColumns =
        "a.tenant, a.account_id, a.unit_code, a.unit_scale, a.unit_currency, a.overdraft_policy,"
            + " a.overdraft_limit, a.metadata, a.opened_by, a.opened_by_roles, a.opened_at,"
            + " a.version, a.overdraft, a.alert_threshold, a.alert_rearm_at, a.alert_below,"
            + " a.external_key, a.holder, a.last_sequence";
    this.grantSelect =
        "SELECT g.grant_id, g.account_id, g.name, g.category, g.priority, g.amount,"
            + " g.effective_from, g.expires_at, g.scope, g.cost_basis, g.metadata, g.created_by,"
            + " g.created_by_roles, g.created_at, g.sequence, g.remaining, g.voided, g.tenant,"
            + " a.unit_code, a.unit_scale, a.unit_currency FROM "
            + t("grants")
            + " g JOIN "
            + t("accounts")
            + " a ON a.tenant = g.tenant AND a.account_id = g.account_id ";
    this.reservationSelect =
        "SELECT r.tenant, r.reservation_id, r.account_id, r.kind, r.item_code, r.held,"
            + " r.hold_transaction, r.created_at, r.expires_at, r.state, r.resolution, r.sequence,"
            + " a.unit_code, a.unit_scale, a.unit_currency FROM "
            + t("reservations")
            + " r JOIN "
            + t("accounts")
            + " a ON a.tenant = r.tenant AND a.account_id = r.account_id ";
  }

  /** A table's name under the store's prefix. */
  String t(String table) {
    return prefix + table;
  }

  // ---------------------------------------------------------------- binders

  /** Maps the current row of a result. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs one query and maps every row. */
  static <T> List<T> query(Connection c, String sql, Binder binder, RowMapper<T> mapper)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      try (ResultSet rs = s.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return rows;
      }
    }
  }

  /** Binds the tenant and one id: the shape of most lookups. */
  static Binder tenantAnd(TenantId tenant, String id) {
    return s -> {
      s.setString(1, tenant.value());
      s.setString(2, id);
    };
  }

  /** Binds a sweep's tenant, instant, sequence and limit. */
  Binder sweep(TenantId tenant, Instant at, long afterSequence, int limit) {
    return s -> {
      s.setString(1, tenant.value());
      setInstant(s, 2, at);
      s.setLong(3, afterSequence);
      s.setInt(4, limit);
    };
  }

  /** Binds a rating cursor's key (tenant, account, meter) from parameter {@code first} on. */
  static void bindKey(PreparedStatement s, int first, RatingCursor.Key k) throws SQLException {
    s.setString(first, k.tenant().value());
    s.setString(first + 1, k.account().value());
    s.setString(first + 2, k.meter());
  }

  static Binder cursorBinder(RatingCursor.Key k) {
    return s -> bindKey(s, 1, k);
  }

  /** Binds an account's low-balance alert (threshold, re-arm level, below), or three NULLs. */
  static void bindAlert(PreparedStatement s, int first, Optional<AlertState> alert)
      throws SQLException {
    if (alert.isPresent()) {
      s.setLong(first, alert.get().alert().threshold().minor());
      s.setLong(first + 1, alert.get().alert().rearmAt().minor());
      s.setBoolean(first + 2, alert.get().below());
    } else {
      s.setNull(first, java.sql.Types.BIGINT);
      s.setNull(first + 1, java.sql.Types.BIGINT);
      s.setNull(first + 2, java.sql.Types.BOOLEAN);
    }
  }

  static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  /** Binds an instant, or SQL NULL. */
  void setInstant(PreparedStatement s, int index, @Nullable Instant value) throws SQLException {
    dialect.bindInstant(s, index, value == null ? null : micros(value));
  }

  /**
   * An instant a window bound or watermark takes: rounded up to the microsecond. Usage times are
   * whole microseconds, so {@code t < bound} and {@code t >= bound} select the same usage whether
   * the bound is rounded up or not; rounding down (as other instants are stored) would move usage
   * at the bound's microsecond from one window to the next.
   */
  static Instant ceilMicros(Instant instant) {
    Instant down = instant.truncatedTo(ChronoUnit.MICROS);
    return down.equals(instant) ? instant : down.plus(1, ChronoUnit.MICROS);
  }

  void setBound(PreparedStatement s, int index, Instant value) throws SQLException {
    dialect.bindInstant(s, index, ceilMicros(value));
  }

  static String placeholders(int n) {
    return TransactionReader.placeholders(n);
  }

  static <T> List<List<T>> chunks(List<T> all) {
    return TransactionReader.chunks(all);
  }

  static void requireLimit(int limit) {
    if (limit < 1) {
      throw new InvalidRequestException("limit", limit, "must be at least 1");
    }
  }

  // ---------------------------------------------------------------- ledger rows

  static Unit unit(ResultSet rs) throws SQLException {
    return TransactionReader.unit(rs);
  }

  /** An account row: the account, and the state the ledger keeps beside it. */
  record AccountRow(
      Account account,
      long version,
      long overdraft,
      Optional<AlertState> alert,
      long lastSequence) {}

  AccountRow accountRow(ResultSet rs) throws SQLException {
    Unit unit = unit(rs);
    OverdraftPolicy policy =
        switch (rs.getString("overdraft_policy")) {
          case "REJECT" -> OverdraftPolicy.reject();
          case "PARTIAL" -> OverdraftPolicy.partial();
          case "LIMIT" ->
              OverdraftPolicy.allowDownTo(Amount.ofMinor(unit, rs.getLong("overdraft_limit")));
          default ->
              throw new IllegalStateException(
                  "unknown overdraft policy " + rs.getString("overdraft_policy"));
        };
    Account account =
        new Account(
            TenantId.of(rs.getString("tenant")),
            AccountId.of(rs.getString("account_id")),
            unit,
            policy,
            JsonCodec.metadata(rs.getString("metadata")),
            StoredActors.actor(rs.getString("opened_by"), rs.getString("opened_by_roles")),
            dialect.readInstant(rs, "opened_at"),
            Optional.ofNullable(rs.getString("external_key")),
            Optional.ofNullable(rs.getString("holder")));
    long threshold = rs.getLong("alert_threshold");
    Optional<AlertState> alert =
        rs.wasNull()
            ? Optional.empty()
            : Optional.of(
                new AlertState(
                    new LowBalanceAlert(
                        Amount.ofMinor(unit, threshold),
                        Amount.ofMinor(unit, rs.getLong("alert_rearm_at"))),
                    rs.getBoolean("alert_below")));
    return new AccountRow(
        account,
        rs.getLong("version"),
        rs.getLong("overdraft"),
        alert,
        rs.getLong("last_sequence"));
  }

  GrantBalance grantRow(ResultSet rs) throws SQLException {
    Unit unit = unit(rs);
    Instant expires = dialect.readInstantOrNull(rs, "expires_at");
    Grant grant =
        new Grant(
            GrantId.of(rs.getString("grant_id")),
            TenantId.of(rs.getString("tenant")),
            AccountId.of(rs.getString("account_id")),
            rs.getString("name"),
            GrantCategory.of(rs.getString("category")),
            rs.getInt("priority"),
            Amount.ofMinor(unit, rs.getLong("amount")),
            dialect.readInstant(rs, "effective_from"),
            Optional.ofNullable(expires),
            JsonCodec.scope(rs.getString("scope")),
            JsonCodec.costBasis(rs.getString("cost_basis")),
            JsonCodec.metadata(rs.getString("metadata")),
            StoredActors.actor(rs.getString("created_by"), rs.getString("created_by_roles")),
            dialect.readInstant(rs, "created_at"),
            rs.getLong("sequence"));
    return new GrantBalance(
        grant, Amount.ofMinor(unit, rs.getLong("remaining")), rs.getBoolean("voided"));
  }

  Reservation reservationRow(ResultSet rs) throws SQLException {
    Unit unit = unit(rs);
    String resolution = rs.getString("resolution");
    return new Reservation(
        ReservationId.of(rs.getString("reservation_id")),
        TenantId.of(rs.getString("tenant")),
        AccountId.of(rs.getString("account_id")),
        ChargeKind.valueOf(rs.getString("kind")),
        rs.getString("item_code"),
        Amount.ofMinor(unit, rs.getLong("held")),
        TransactionId.of(rs.getString("hold_transaction")),
        dialect.readInstant(rs, "created_at"),
        dialect.readInstant(rs, "expires_at"),
        ReservationState.valueOf(rs.getString("state")),
        Optional.ofNullable(resolution).map(TransactionId::of),
        rs.getLong("sequence"));
  }

  // ---------------------------------------------------------------- metering rows

  /** A quantity as read from a DECIMAL column, without the column's trailing zeros. */
  static BigDecimal canonical(BigDecimal quantity) {
    if (quantity.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal stripped = quantity.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  static Meter meterRow(ResultSet rs) throws SQLException {
    Meter.Builder meter =
        Meter.builder(
                TenantId.of(rs.getString("tenant")),
                rs.getString("meter_key"),
                Aggregation.valueOf(rs.getString("aggregation")))
            .unit(rs.getString("unit"))
            .dimensions(
                JsonCodec.dimensionNames(rs.getString("dimensions")).toArray(String[]::new));
    String keyDimension = rs.getString("key_dimension");
    if (keyDimension != null) {
      meter.keyDimension(keyDimension);
    }
    long heartbeat = rs.getLong("heartbeat_timeout_seconds");
    if (!rs.wasNull()) {
      meter.heartbeatTimeout(Duration.ofSeconds(heartbeat));
    }
    return meter.build();
  }

  StoredUsageEvent eventRow(ResultSet rs) throws SQLException {
    UsageEvent event =
        UsageEvent.builder(
                TenantId.of(rs.getString("tenant")),
                AccountId.of(rs.getString("account")),
                rs.getString("meter"))
            .id(rs.getString("event_id"))
            .quantity(rs.getBigDecimal("quantity"))
            .occurredAt(dialect.readInstant(rs, "occurred_at"))
            .dimensions(JsonCodec.dimensions(rs.getString("dimensions")))
            .build();
    return new StoredUsageEvent(
        event,
        rs.getString("fingerprint"),
        rs.getLong("sequence"),
        dialect.readInstant(rs, "received_at"));
  }

  RatingCursor cursorRow(ResultSet rs) throws SQLException {
    return new RatingCursor(
        TenantId.of(rs.getString("tenant")),
        AccountId.of(rs.getString("account")),
        rs.getString("meter"),
        rs.getLong("version"),
        dialect.readInstant(rs, "rated_until"),
        rs.getLong("rated_sequence"),
        rs.getLong("ingested_sequence"),
        rs.getString("state"));
  }

  RatedLine lineRow(ResultSet rs) throws SQLException {
    String posting = rs.getString("posting");
    return new RatedLine(
        TenantId.of(rs.getString("tenant")),
        AccountId.of(rs.getString("account")),
        rs.getString("meter"),
        rs.getLong("cursor_version"),
        rs.getInt("line_number"),
        dialect.readInstant(rs, "window_start"),
        dialect.readInstant(rs, "window_end"),
        YearMonth.of(rs.getInt("period_year"), rs.getInt("period_month")),
        JsonCodec.dimensions(rs.getString("dimensions")),
        canonical(rs.getBigDecimal("quantity")),
        Amount.ofMinor(unit(rs), rs.getLong("credits")),
        Optional.ofNullable(posting));
  }
}
