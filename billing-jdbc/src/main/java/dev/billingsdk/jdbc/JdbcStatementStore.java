package dev.billingsdk.jdbc;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.jdbc.internal.StatementCodec;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.StatementStore;
import dev.billingsdk.spi.StoreFailureException;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementWindow;
import dev.billingsdk.statement.UsageCell;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The {@link StatementStore} on the host's {@link DataSource}: it reads the ledger and rated-line
 * tables of the billing store beside it, through the indexes schema version 9 adds (transactions by
 * effective time, rated lines by posting), and keeps closed statements in {@code
 * <prefix>closed_statements}, one row per (account, month), inserted once.
 */
public final class JdbcStatementStore implements StatementStore {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final String prefix;
  private final TransactionReader reader;

  private JdbcStatementStore(DataSource dataSource, Dialect dialect, String prefix) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.prefix = prefix;
    this.reader = new TransactionReader(dialect, prefix);
  }

  /**
   * The statement store on {@code dataSource}, in the tables under {@code tablePrefix} (the billing
   * store's). The schema must already be at {@link Schema#VERSION}.
   *
   * @throws SchemaVersionException if the schema is at another version
   * @throws StoreFailureException if the database cannot be reached
   */
  public static JdbcStatementStore create(DataSource dataSource, String tablePrefix) {
    String prefix = Schema.checkPrefix(tablePrefix);
    return new JdbcStatementStore(dataSource, StoreSupport.start(dataSource, prefix), prefix);
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      return work.run(c);
    } catch (SQLException e) {
      throw StoreSupport.failure(what, e);
    }
  }

  private String t(String table) {
    return prefix + table;
  }

  /** The window's membership condition on the transactions aliased {@code x}, five parameters. */
  private static final String MEMBER =
      " x.effective_at < ? AND x.sequence <= ? AND (x.effective_at >= ? OR x.sequence > ?)";

  private int bindMember(PreparedStatement s, int i, StatementWindow w) throws SQLException {
    dialect.bindInstant(s, i++, w.until());
    s.setLong(i++, w.watermark());
    dialect.bindInstant(s, i++, w.from());
    // No closed previous month: nothing before the month is late.
    s.setLong(
        i++,
        w.previousWatermark() == StatementWindow.NONE ? Long.MAX_VALUE : w.previousWatermark());
    return i;
  }

  @Override
  public long lastSequence(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return read(
        "reading the last sequence of " + account,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT MAX(sequence) FROM "
                      + t("transactions")
                      + " WHERE tenant = ? AND account_id = ?")) {
            s.setString(1, tenant.value());
            s.setString(2, account.value());
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Override
  public List<LedgerTransaction> statementTransactions(
      TenantId tenant, AccountId account, StatementWindow window, long afterSequence, int limit) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(window, "window");
    if (limit < 1) {
      throw new InvalidRequestException("limit", limit, "must be at least 1");
    }
    return read(
        "reading the statement transactions of " + account,
        c -> {
          // Start at the window's first sequence, so that a long history before it is not scanned.
          long after = Math.max(afterSequence, firstSequence(c, tenant, account, window) - 1);
          return reader.read(
              c,
              reader.select()
                  + "WHERE x.tenant = ? AND x.account_id = ? AND x.sequence > ? AND"
                  + MEMBER
                  + " ORDER BY x.sequence LIMIT ?",
              s -> {
                s.setString(1, tenant.value());
                s.setString(2, account.value());
                s.setLong(3, after);
                int i = bindMember(s, 4, window);
                s.setInt(i, limit);
              });
        });
  }

  /** The smallest sequence the window can hold (a bound, not necessarily a member's). */
  private long firstSequence(Connection c, TenantId tenant, AccountId account, StatementWindow w)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT MIN(sequence) FROM "
                + t("transactions")
                + " WHERE tenant = ? AND account_id = ? AND effective_at >= ? AND effective_at < ?")) {
      s.setString(1, tenant.value());
      s.setString(2, account.value());
      dialect.bindInstant(s, 3, w.from());
      dialect.bindInstant(s, 4, w.until());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        long first = rs.getLong(1);
        first = rs.wasNull() ? Long.MAX_VALUE : first;
        return w.previousWatermark() == StatementWindow.NONE
            ? first
            : Math.min(first, w.previousWatermark() + 1);
      }
    }
  }

  @Override
  public long balanceBefore(TenantId tenant, AccountId account, Instant before, long upToSequence) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(before, "before");
    return read(
        "reading the balance of " + account,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT COALESCE(SUM(p.amount), 0) FROM "
                      + t("postings")
                      + " p JOIN "
                      + t("transactions")
                      + " x ON x.tenant = p.tenant AND x.transaction_id = p.transaction_id"
                      + " WHERE x.tenant = ? AND x.account_id = ? AND x.effective_at < ?"
                      + " AND x.sequence <= ?"
                      + " AND p.ledger_account IN ('GRANT', 'RESERVED', 'OVERDRAFT')")) {
            s.setString(1, tenant.value());
            s.setString(2, account.value());
            dialect.bindInstant(s, 3, before);
            s.setLong(4, upToSequence);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Override
  public List<UsageCell> statementUsage(
      TenantId tenant, AccountId account, StatementWindow window) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(window, "window");
    String hour = dialect.hourOf("r.window_start");
    String sql =
        "SELECT r.meter, r.dimension_key, r.period_year, r.period_month, "
            + hour
            + " AS usage_hour, SUM(r.quantity) AS quantity, SUM(r.credits) AS credits,"
            + " MIN(r.window_start) AS first_window, MIN(r.unit_code) AS unit_code,"
            + " MIN(r.unit_scale) AS unit_scale,"
            + " MIN(CASE WHEN r.unit_currency THEN 1 ELSE 0 END) AS unit_currency FROM "
            + t("rated_lines")
            + " r JOIN "
            + t("transactions")
            + " x ON x.tenant = r.tenant AND x.account_id = r.account"
            + " AND x.idempotency_key = r.posting"
            + " WHERE r.tenant = ? AND r.account = ? AND"
            + MEMBER
            + " GROUP BY r.meter, r.dimension_key, r.period_year, r.period_month, "
            + hour;
    return read(
        "reading the statement usage of " + account,
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, tenant.value());
            s.setString(2, account.value());
            bindMember(s, 3, window);
            List<UsageCell> cells = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                Unit unit = TransactionReader.unit(rs);
                cells.add(
                    new UsageCell(
                        rs.getString("meter"),
                        dimensions(rs.getString("dimension_key")),
                        YearMonth.of(rs.getInt("period_year"), rs.getInt("period_month")),
                        Instant.EPOCH.plus(rs.getLong("usage_hour"), ChronoUnit.HOURS),
                        rs.getBigDecimal("quantity"),
                        Amount.ofMinor(unit, rs.getLong("credits")),
                        dialect.readInstant(rs, "first_window")));
              }
            }
            return cells;
          }
        });
  }

  /** The dimension values back from their canonical text ({@code RatedLine.dimensionKey}). */
  static Map<String, String> dimensions(String key) {
    Map<String, String> dims = new TreeMap<>();
    if (key.isEmpty()) {
      return dims;
    }
    StringBuilder name = new StringBuilder();
    StringBuilder value = new StringBuilder();
    StringBuilder current = name;
    for (int i = 0; i < key.length(); i++) {
      char ch = key.charAt(i);
      if (ch == '\\' && i + 1 < key.length()) {
        current.append(key.charAt(++i));
      } else if (ch == '=' && current == name) {
        current = value;
      } else if (ch == ';') {
        dims.put(name.toString(), value.toString());
        name.setLength(0);
        value.setLength(0);
        current = name;
      } else {
        current.append(ch);
      }
    }
    dims.put(name.toString(), value.toString());
    return dims;
  }

  @Override
  public Optional<Statement> findClosed(TenantId tenant, AccountId account, YearMonth month) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(month, "month");
    return closed(
        "WHERE tenant = ? AND account_id = ? AND period_year = ? AND period_month = ?",
        tenant,
        account,
        month.getYear(),
        month.getMonthValue());
  }

  @Override
  public Optional<Statement> latestClosedBefore(
      TenantId tenant, AccountId account, YearMonth month) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(month, "month");
    return closed(
        "WHERE tenant = ? AND account_id = ? AND (period_year < ? OR (period_year = ? AND"
            + " period_month < ?)) ORDER BY period_year DESC, period_month DESC LIMIT 1",
        tenant,
        account,
        month.getYear(),
        month.getYear(),
        month.getMonthValue());
  }

  /** The first closed statement {@code where} selects; its parameters after tenant and account. */
  private Optional<Statement> closed(
      String where, TenantId tenant, AccountId account, int... period) {
    return read(
        "reading a closed statement of " + account,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT document FROM " + t("closed_statements") + " " + where)) {
            s.setString(1, tenant.value());
            s.setString(2, account.value());
            for (int i = 0; i < period.length; i++) {
              s.setInt(3 + i, period[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
              return rs.next()
                  ? Optional.of(StatementCodec.read(rs.getString("document")))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public boolean insertClosed(Statement statement) {
    InvalidRequestException.requireNonNull(statement, "statement");
    if (statement.status() != Statement.Status.CLOSED) {
      throw new InvalidRequestException("status", statement.status(), "must be CLOSED to store");
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO "
                    + t("closed_statements")
                    + " (tenant, account_id, period_year, period_month, opening, closing,"
                    + " previous_watermark, watermark, closed_at, document)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      c.setAutoCommit(true);
      s.setString(1, statement.tenant().value());
      s.setString(2, statement.account().value());
      s.setInt(3, statement.month().getYear());
      s.setInt(4, statement.month().getMonthValue());
      s.setLong(5, statement.opening().minor());
      s.setLong(6, statement.closing().minor());
      s.setLong(7, statement.window().previousWatermark());
      s.setLong(8, statement.window().watermark());
      dialect.bindInstant(s, 9, statement.closedAt().orElseThrow().truncatedTo(ChronoUnit.MICROS));
      s.setString(10, StatementCodec.write(statement));
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      if (dialect.isUniqueViolation(e)) {
        return false;
      }
      throw StoreSupport.failure("storing the statement of " + statement.account(), e);
    }
  }

  @Override
  public List<AccountId> accountsOf(TenantId tenant, String holder) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(holder, "holder");
    return read(
        "listing the accounts of a holder",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT account_id FROM "
                      + t("accounts")
                      + " WHERE tenant = ? AND holder = ? ORDER BY account_id")) {
            s.setString(1, tenant.value());
            s.setString(2, holder);
            List<AccountId> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                ids.add(AccountId.of(rs.getString(1)));
              }
            }
            return ids;
          }
        });
  }

  @Override
  public List<LedgerTransaction> transactionsAcross(
      TenantId tenant,
      Optional<List<AccountId>> accounts,
      Optional<Instant> from,
      Optional<Instant> until,
      Optional<ListPosition> before,
      int limit) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(accounts, "accounts");
    InvalidRequestException.requireNonNull(from, "from");
    InvalidRequestException.requireNonNull(until, "until");
    InvalidRequestException.requireNonNull(before, "before");
    if (limit < 1) {
      throw new InvalidRequestException("limit", limit, "must be at least 1");
    }
    List<AccountId> ids = accounts.orElse(List.of());
    if (accounts.isPresent() && ids.isEmpty()) {
      return List.of();
    }
    if (ids.size() > TransactionReader.IN_CHUNK) {
      throw new InvalidRequestException(
          "accounts", ids.size() + " accounts", "must be at most " + TransactionReader.IN_CHUNK);
    }
    StringBuilder sql = new StringBuilder(reader.select()).append("WHERE x.tenant = ?");
    if (accounts.isPresent()) {
      sql.append(" AND x.account_id IN (")
          .append(TransactionReader.placeholders(ids.size()))
          .append(')');
    }
    from.ifPresent(f -> sql.append(" AND x.recorded_at >= ?"));
    until.ifPresent(u -> sql.append(" AND x.recorded_at < ?"));
    before.ifPresent(
        b -> sql.append(" AND (x.recorded_at < ? OR (x.recorded_at = ? AND x.sequence < ?))"));
    sql.append(" ORDER BY x.recorded_at DESC, x.sequence DESC LIMIT ?");
    return read(
        "listing transactions across accounts",
        c ->
            reader.read(
                c,
                sql.toString(),
                s -> {
                  int i = 1;
                  s.setString(i++, tenant.value());
                  for (AccountId a : ids) {
                    s.setString(i++, a.value());
                  }
                  if (from.isPresent()) {
                    dialect.bindInstant(s, i++, micros(from.get()));
                  }
                  if (until.isPresent()) {
                    dialect.bindInstant(s, i++, micros(until.get()));
                  }
                  if (before.isPresent()) {
                    dialect.bindInstant(s, i++, micros(before.get().recordedAt()));
                    dialect.bindInstant(s, i++, micros(before.get().recordedAt()));
                    s.setLong(i++, before.get().sequence());
                  }
                  s.setInt(i, limit);
                }));
  }

  private static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public List<AccountId> accounts(TenantId tenant, Optional<AccountId> after, int limit) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(after, "after");
    if (limit < 1) {
      throw new InvalidRequestException("limit", limit, "must be at least 1");
    }
    return read(
        "listing the accounts of " + tenant,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT account_id FROM "
                      + t("accounts")
                      + " WHERE tenant = ? AND account_id > ? ORDER BY account_id LIMIT ?")) {
            s.setString(1, tenant.value());
            s.setString(2, after.map(AccountId::value).orElse(""));
            s.setInt(3, limit);
            List<AccountId> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                ids.add(AccountId.of(rs.getString(1)));
              }
            }
            return ids;
          }
        });
  }
}
