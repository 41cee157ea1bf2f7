package dev.billingsdk.jdbc;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.OutboxEntry;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoreFailureException;
import dev.billingsdk.spi.StoredUsageEvent;
import dev.billingsdk.spi.WriteRules;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BillingStore} on the host's {@link DataSource}: PostgreSQL, MariaDB or H2, plain JDBC
 * with prepared statements.
 *
 * <p>A {@link #commitBatch batch} is one database transaction. It first locks the rows of every
 * account it writes, one at a time in one fixed order (tenant, then account id), so writers never
 * wait on each other in a cycle; then it checks each write's preconditions against what is stored
 * (idempotency key, account version, grant balances, overdraft policy, reservations), exactly as
 * the in-memory store does, and writes the transactions, postings, grants, reservations, account
 * versions and outbox events of the writes that pass. Idempotency keys, grant ids and reservation
 * ids are primary or unique keys, so a write that races another process for one of them fails its
 * insert; the batch is then rolled back and decided again, and the second time it sees the winner.
 * Serialization failures, deadlocks and lost connections are retried the same way, a bounded number
 * of times with jittered back-off: safe, because every write carries its idempotency key.
 *
 * <p>It is also the {@link MeteringStore}. An {@link #ingest ingest} is one database transaction:
 * it locks the rating cursor of every (tenant, account, meter) the list names, in the same fixed
 * order, creating the missing ones, and only then reads which ids are stored; it draws the new
 * events' sequences from the locked cursors and holds them until it commits, so a sequence at or
 * below a committed cursor's {@code ingestedSequence} is never filled in later. The primary key
 * (tenant, event_id) is the claim: an id claimed meanwhile under another cursor fails the insert,
 * and the ingest runs again and sees it. A rating step moves its cursor with an {@code UPDATE} on
 * the version it read and stores its lines in the same transaction.
 *
 * <p>Instants are stored at microsecond precision (what PostgreSQL and MariaDB keep); anything
 * finer is dropped when written, and the transaction a commit returns is the one stored. Usage
 * times arrive whole microseconds; the bounds of usage windows (a cursor's {@code ratedUntil}, a
 * rated line's window, the bounds of the usage reads) are rounded up instead, which selects the
 * same usage. Quantities are exact decimals (12 places) and come back without trailing zeros.
 */
public final class JdbcBillingStore implements BillingStore, MeteringStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcBillingStore.class);

  private static final Comparator<AccountKey> LOCK_ORDER =
      Comparator.comparing((AccountKey k) -> k.tenant().value())
          .thenComparing(k -> k.account().value());

  /** Ids per IN list; well inside every driver's parameter limit. */
  private final DataSource dataSource;

  private final Dialect dialect;
  private final String prefix;
  private final int maxAttempts;

  private final String accountColumns;
  private final String grantSelect;
  private final TransactionReader transactionReader;
  private final String reservationSelect;

  private JdbcBillingStore(DataSource dataSource, Dialect dialect, String prefix, int maxAttempts) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.prefix = prefix;
    this.maxAttempts = maxAttempts;
    this.accountColumns =
        "a.tenant, a.account_id, a.unit_code, a.unit_scale, a.unit_currency, a.overdraft_policy,"
            + " a.overdraft_limit, a.metadata, a.opened_by, a.opened_by_roles, a.opened_at,"
            + " a.version, a.overdraft, a.alert_threshold, a.alert_rearm_at, a.alert_below,"
            + " a.external_key, a.holder";
    this.grantSelect =
        "SELECT g.grant_id, g.account_id, g.name, g.category, g.priority, g.amount,"
            + " g.effective_from, g.expires_at, g.scope, g.cost_basis, g.metadata, g.created_by,"
            + " g.created_by_roles, g.created_at, g.sequence, g.remaining, g.voided, g.tenant,"
            + " a.unit_code, a.unit_scale, a.unit_currency FROM "
            + t("grants")
            + " g JOIN "
            + t("accounts")
            + " a ON a.tenant = g.tenant AND a.account_id = g.account_id ";
    this.transactionReader = new TransactionReader(dialect, prefix);
    this.reservationSelect =
        "SELECT r.tenant, r.reservation_id, r.account_id, r.kind, r.item_code, r.held,"
            + " r.hold_transaction, r.created_at, r.expires_at, r.state, r.resolution, r.sequence,"
            + " a.unit_code, a.unit_scale, a.unit_currency FROM "
            + t("reservations")
            + " r JOIN "
            + t("accounts")
            + " a ON a.tenant = r.tenant AND a.account_id = r.account_id ";
  }

  /** Starts a store on {@code dataSource}; see {@link Builder}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** How to reach and prepare the database. */
  public static final class Builder {
    private final DataSource dataSource;
    private @Nullable Dialect dialect; // null: detected from the connection
    private String prefix = Schema.DEFAULT_PREFIX;
    private boolean applySchema;
    private int maxAttempts = 8;

    private Builder(DataSource dataSource) {
      InvalidRequestException.requireNonNull(dataSource, "dataSource");
      this.dataSource = dataSource;
    }

    /** The database; detected from the first connection when not given. */
    public Builder dialect(Dialect dialect) {
      InvalidRequestException.requireNonNull(dialect, "dialect");
      this.dialect = dialect;
      return this;
    }

    /** Prepended to every table name; lower-case letters, digits and '_', at most 20. */
    public Builder tablePrefix(String prefix) {
      this.prefix = Schema.checkPrefix(prefix);
      return this;
    }

    /**
     * Whether to apply the shipped migrations on start. When false (the default) the store only
     * checks that the schema is at the version it knows, and refuses to start otherwise.
     */
    public Builder applySchema(boolean apply) {
      this.applySchema = apply;
      return this;
    }

    /** Attempts of one database transaction that meets a deadlock, serialization or lost link. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new InvalidRequestException("maxAttempts", attempts, "must be at least 1");
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Connects, applies or checks the schema, and returns the store.
     *
     * @throws SchemaVersionException if the schema is not (or cannot be brought to) the version
     *     this library knows
     * @throws StoreFailureException if the database cannot be reached
     */
    public JdbcBillingStore build() {
      Dialect d = dialect;
      if (d == null) {
        try (Connection c = dataSource.getConnection()) {
          d = Dialect.detect(c);
        } catch (SQLException e) {
          throw new StoreFailureException("could not connect to detect the dialect", e);
        }
      }
      Schema schema = new Schema(d, prefix);
      if (applySchema) {
        int applied = schema.apply(dataSource);
        if (applied > 0) {
          LOG.info("applied {} billing schema migration(s) with prefix {}", applied, prefix);
        }
      }
      schema.check(dataSource);
      return new JdbcBillingStore(dataSource, d, prefix, maxAttempts);
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  public String tablePrefix() {
    return prefix;
  }

  private String t(String table) {
    return prefix + table;
  }

  // ---------------------------------------------------------------- plumbing

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} on one connection in autocommit mode (single statements). */
  /**
   * Runs an insert of a row that may already exist. A unique-key race lost to another writer (H2
   * reports one even for insert-if-absent) is not an error: the caller reads back the row that won.
   */
  private void insertUnlessRaced(String what, Work<Integer> insert) {
    try {
      read(what, insert);
    } catch (StoreFailureException e) {
      if (!(e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql))) {
        throw e;
      }
    }
  }

  private <T> T read(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        return work.run(c);
      } catch (SQLException e) {
        if (attempt >= maxAttempts || !(dialect.isConnectionFailure(e) || isRetryable(e))) {
          throw failure(what, e);
        }
        backOff(attempt, what, e);
      }
    }
  }

  /**
   * Runs {@code work} in one database transaction (at the connection's isolation level: the writes
   * lock what they read and need nothing stronger) and commits it; on a deadlock, serialization
   * failure, lost connection or unique-key race rolls back and runs it again (bounded, jittered).
   */
  private <T> T transaction(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        try {
          c.setAutoCommit(false);
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c);
          throw e;
        } finally {
          restore(c, autoCommit);
        }
      } catch (SQLException e) {
        boolean again =
            isRetryable(e) || dialect.isUniqueViolation(e) || dialect.isConnectionFailure(e);
        if (!again || attempt >= maxAttempts) {
          throw failure(what, e);
        }
        backOff(attempt, what, e);
      }
    }
  }

  private boolean isRetryable(SQLException e) {
    return dialect.isRetryable(e);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is gone or broken: the database has rolled back already.
    }
  }

  private static void restore(Connection c, boolean autoCommit) {
    try {
      if (!c.isClosed()) {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException ignored) {
      // A broken connection is discarded by the pool; nothing to restore.
    }
  }

  private StoreFailureException failure(String what, SQLException e) {
    return new StoreFailureException(
        "database failure while " + what + " (" + e.getSQLState() + "): " + e.getMessage(), e);
  }

  private static void backOff(int attempt, String what, SQLException e) {
    LOG.debug("retrying {} after attempt {}: {}", what, attempt, e.toString());
    long ceilingNanos = Math.min(200_000_000L, 1_000_000L << Math.min(attempt, 8));
    LockSupport.parkNanos(ceilingNanos / 2 + ThreadLocalRandom.current().nextLong(ceilingNanos));
  }

  private static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  /** Binds an instant, or SQL NULL. */
  private void setInstant(PreparedStatement s, int index, @Nullable Instant value)
      throws SQLException {
    dialect.bindInstant(s, index, value == null ? null : micros(value));
  }

  private static String placeholders(int n) {
    return TransactionReader.placeholders(n);
  }

  private static <T> List<List<T>> chunks(List<T> all) {
    return TransactionReader.chunks(all);
  }

  private static void requireLimit(int limit) {
    if (limit < 1) {
      throw new InvalidRequestException("limit", limit, "must be at least 1");
    }
  }

  // ---------------------------------------------------------------- row mapping

  private static Unit unit(ResultSet rs) throws SQLException {
    return TransactionReader.unit(rs);
  }

  private record AccountRow(
      Account account, long version, long overdraft, Optional<AlertState> alert) {}

  private AccountRow accountRow(ResultSet rs) throws SQLException {
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
    return new AccountRow(account, rs.getLong("version"), rs.getLong("overdraft"), alert);
  }

  private GrantBalance grantRow(ResultSet rs) throws SQLException {
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

  private Reservation reservationRow(ResultSet rs) throws SQLException {
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

  private String transactionSelect() {
    return transactionReader.select();
  }

  /** Runs a transaction query and attaches every transaction's postings, keeping the row order. */
  private List<LedgerTransaction> transactions(Connection c, String sql, Binder binder)
      throws SQLException {
    return transactionReader.read(c, sql, binder::bind);
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement s) throws SQLException;
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs one query and maps every row. */
  private static <T> List<T> query(Connection c, String sql, Binder binder, RowMapper<T> mapper)
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
  private static Binder tenantAnd(TenantId tenant, String id) {
    return s -> {
      s.setString(1, tenant.value());
      s.setString(2, id);
    };
  }

  /** Binds a sweep's tenant, instant, sequence and limit. */
  private Binder sweep(TenantId tenant, Instant at, long afterSequence, int limit) {
    return s -> {
      s.setString(1, tenant.value());
      setInstant(s, 2, at);
      s.setLong(3, afterSequence);
      s.setInt(4, limit);
    };
  }

  // ---------------------------------------------------------------- reads

  @Override
  public long nextSequence() {
    return read(
        "drawing a sequence number",
        c -> {
          try (PreparedStatement s = c.prepareStatement(dialect.nextSequenceSql(t("sequence")));
              ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  @Override
  public Account insertAccountIfAbsent(Account account) {
    InvalidRequestException.requireNonNull(account, "account");
    Optional<Account> existing = findAccount(account.tenant(), account.id());
    if (existing.isPresent()) {
      return existing.get();
    }
    insertUnlessRaced(
        "opening an account",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO "
                      + t("accounts")
                      + " (tenant, account_id, unit_code, unit_scale, unit_currency,"
                      + " overdraft_policy, overdraft_limit, metadata, opened_by,"
                      + " opened_by_roles, opened_at, version, overdraft, external_key, holder)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, "
                      + dialect.jsonParameter()
                      + ", ?, ?, ?, 0, 0, ?, ?)")) {
            s.setString(1, account.tenant().value());
            s.setString(2, account.id().value());
            s.setString(3, account.unit().code());
            s.setInt(4, account.unit().scale());
            s.setBoolean(5, account.unit() instanceof CurrencyUnit);
            OverdraftPolicy policy = account.overdraftPolicy();
            if (policy instanceof OverdraftPolicy.Limit limit) {
              s.setString(6, "LIMIT");
              s.setLong(7, limit.limit().minor());
            } else {
              s.setString(6, policy instanceof OverdraftPolicy.Partial ? "PARTIAL" : "REJECT");
              s.setNull(7, java.sql.Types.BIGINT);
            }
            s.setString(8, JsonCodec.metadata(account.metadata()));
            s.setString(9, account.openedBy().id());
            s.setString(10, StoredActors.roles(account.openedBy()));
            setInstant(s, 11, account.openedAt());
            s.setString(12, account.externalKey().orElse(null));
            s.setString(13, account.holder().orElse(null));
            return s.executeUpdate();
          }
        });
    // A unique-key race lost on the id shows the winner; one lost on the external key, nothing.
    return findAccount(account.tenant(), account.id())
        .orElseThrow(
            () ->
                account.externalKey().isPresent()
                    ? new InvalidRequestException(
                        "externalKey",
                        account.externalKey().get(),
                        "is held by another account of the tenant")
                    : new IllegalStateException("account vanished after insert"));
  }

  @Override
  public Optional<Account> findAccountByKey(TenantId tenant, String externalKey) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(externalKey, "externalKey");
    // Served by the unique index (tenant, external_key).
    String sql =
        "SELECT "
            + accountColumns
            + " FROM "
            + t("accounts")
            + " a WHERE a.tenant = ?"
            + " AND a.external_key = ?";
    return read(
            "reading an account by external key",
            c ->
                query(c, sql, tenantAnd(tenant, externalKey), this::accountRow).stream()
                    .findFirst())
        .map(AccountRow::account);
  }

  @Override
  public List<GrantCategory> grantCategories(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    // Walks the account's grant index and returns one row per category, not the grants.
    String sql =
        "SELECT category, MIN(sequence) AS first_sequence FROM "
            + t("grants")
            + " WHERE tenant = ? AND account_id = ? GROUP BY category ORDER BY first_sequence";
    return read(
        "reading grant categories",
        c ->
            List.copyOf(
                query(
                    c,
                    sql,
                    tenantAnd(tenant, account.value()),
                    rs -> GrantCategory.of(rs.getString(1)))));
  }

  @Override
  public Optional<Account> findAccount(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return read("reading an account", c -> accountRow(c, tenant, account, false))
        .map(AccountRow::account);
  }

  private Optional<AccountRow> accountRow(
      Connection c, TenantId tenant, AccountId account, boolean forUpdate) throws SQLException {
    return query(
            c,
            "SELECT "
                + accountColumns
                + " FROM "
                + t("accounts")
                + " a WHERE a.tenant = ? AND a.account_id = ?"
                + (forUpdate ? " FOR UPDATE" : ""),
            tenantAnd(tenant, account.value()),
            this::accountRow)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<AccountSnapshot> loadAccount(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    // The account's version moves with every commit that changes its grants or reservations, so
    // reads that start and end at the same version saw one committed state.
    return read(
        "reading an account snapshot",
        c -> {
          while (true) {
            Optional<AccountRow> row = accountRow(c, tenant, account, false);
            if (row.isEmpty()) {
              return Optional.<AccountSnapshot>empty();
            }
            List<GrantBalance> live =
                query(
                    c,
                    grantSelect
                        + "WHERE g.tenant = ? AND g.account_id = ? AND g.remaining > 0"
                        + " ORDER BY g.sequence",
                    tenantAnd(tenant, account.value()),
                    this::grantRow);
            List<Reservation> active =
                query(
                    c,
                    reservationSelect
                        + "WHERE r.tenant = ? AND r.account_id = ? AND r.state = 'ACTIVE'"
                        + " ORDER BY r.sequence",
                    tenantAnd(tenant, account.value()),
                    this::reservationRow);
            AccountRow a = row.get();
            if (version(c, tenant, account) == a.version()) {
              return Optional.of(
                  new AccountSnapshot(
                      a.account(),
                      live,
                      Amount.ofMinor(a.account().unit(), a.overdraft()),
                      active,
                      a.alert(),
                      a.version()));
            }
          }
        });
  }

  private long version(Connection c, TenantId tenant, AccountId account) throws SQLException {
    return query(
            c,
            "SELECT version FROM " + t("accounts") + " WHERE tenant = ? AND account_id = ?",
            tenantAnd(tenant, account.value()),
            rs -> rs.getLong(1))
        .stream()
        .findFirst()
        .orElse(-1L);
  }

  @Override
  public List<GrantBalance> grants(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return read(
        "reading grants",
        c ->
            List.copyOf(
                query(
                    c,
                    grantSelect + "WHERE g.tenant = ? AND g.account_id = ? ORDER BY g.sequence",
                    tenantAnd(tenant, account.value()),
                    this::grantRow)));
  }

  @Override
  public Optional<GrantBalance> findGrant(TenantId tenant, GrantId grant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(grant, "grant");
    return read(
        "reading a grant",
        c ->
            query(
                    c,
                    grantSelect + "WHERE g.tenant = ? AND g.grant_id = ?",
                    tenantAnd(tenant, grant.value()),
                    this::grantRow)
                .stream()
                .findFirst());
  }

  @Override
  public Optional<LedgerTransaction> findTransaction(TenantId tenant, IdempotencyKey key) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(key, "idempotencyKey");
    return read("reading a transaction", c -> byKey(c, tenant, key));
  }

  private Optional<LedgerTransaction> byKey(Connection c, TenantId tenant, IdempotencyKey key)
      throws SQLException {
    return transactions(
            c,
            transactionSelect() + "WHERE x.tenant = ? AND x.idempotency_key = ?",
            tenantAnd(tenant, key.value()))
        .stream()
        .findFirst();
  }

  @Override
  public Optional<LedgerTransaction> findTransaction(TenantId tenant, TransactionId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "transaction");
    return read(
        "reading a transaction",
        c ->
            transactions(
                    c,
                    transactionSelect() + "WHERE x.tenant = ? AND x.transaction_id = ?",
                    tenantAnd(tenant, id.value()))
                .stream()
                .findFirst());
  }

  @Override
  public List<LedgerTransaction> transactions(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return read(
        "reading transactions",
        c ->
            transactions(
                c,
                transactionSelect() + "WHERE x.tenant = ? AND x.account_id = ? ORDER BY x.sequence",
                tenantAnd(tenant, account.value())));
  }

  @Override
  public List<LedgerTransaction> history(
      TenantId tenant,
      AccountId account,
      TransactionFilter filter,
      long beforeSequence,
      int limit) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(filter, "filter");
    requireLimit(limit);
    List<TransactionType> types = new ArrayList<>(filter.types());
    StringBuilder sql =
        new StringBuilder(
            transactionSelect() + "WHERE x.tenant = ? AND x.account_id = ? AND x.sequence < ?");
    if (!types.isEmpty()) {
      sql.append(" AND x.type IN (").append(placeholders(types.size())).append(')');
    }
    filter.from().ifPresent(f -> sql.append(" AND x.recorded_at >= ?"));
    filter.until().ifPresent(u -> sql.append(" AND x.recorded_at < ?"));
    sql.append(" ORDER BY x.sequence DESC LIMIT ?");
    return read(
        "reading history",
        c ->
            transactions(
                c,
                sql.toString(),
                s -> {
                  int i = 1;
                  s.setString(i++, tenant.value());
                  s.setString(i++, account.value());
                  s.setLong(i++, beforeSequence);
                  for (TransactionType type : types) {
                    s.setString(i++, type.name());
                  }
                  if (filter.from().isPresent()) {
                    setInstant(s, i++, filter.from().get());
                  }
                  if (filter.until().isPresent()) {
                    setInstant(s, i++, filter.until().get());
                  }
                  s.setInt(i, limit);
                }));
  }

  @Override
  public List<LedgerTransaction> corrections(TenantId tenant, TransactionId original) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(original, "original");
    return read(
        "reading corrections",
        c ->
            transactions(
                c,
                transactionSelect() + "WHERE x.tenant = ? AND x.corrects = ? ORDER BY x.sequence",
                tenantAnd(tenant, original.value())));
  }

  @Override
  public Optional<Reservation> findReservation(TenantId tenant, ReservationId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "reservation");
    return read("reading a reservation", c -> reservation(c, tenant, id));
  }

  private Optional<Reservation> reservation(Connection c, TenantId tenant, ReservationId id)
      throws SQLException {
    return query(
            c,
            reservationSelect + "WHERE r.tenant = ? AND r.reservation_id = ?",
            tenantAnd(tenant, id.value()),
            this::reservationRow)
        .stream()
        .findFirst();
  }

  @Override
  public List<GrantBalance> expiredGrants(
      TenantId tenant, Instant at, long afterSequence, int limit) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(at, "at");
    requireLimit(limit);
    return read(
        "reading expired grants",
        c ->
            List.copyOf(
                query(
                    c,
                    grantSelect
                        + "WHERE g.tenant = ? AND g.remaining > 0 AND NOT g.voided"
                        + " AND g.expires_at IS NOT NULL AND g.expires_at <= ? AND g.sequence > ?"
                        + " ORDER BY g.sequence LIMIT ?",
                    sweep(tenant, at, afterSequence, limit),
                    this::grantRow)));
  }

  @Override
  public List<Reservation> expiredReservations(
      TenantId tenant, Instant at, long afterSequence, int limit) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(at, "at");
    requireLimit(limit);
    return read(
        "reading expired reservations",
        c ->
            List.copyOf(
                query(
                    c,
                    reservationSelect
                        + "WHERE r.tenant = ? AND r.state = 'ACTIVE' AND r.expires_at <= ?"
                        + " AND r.sequence > ? ORDER BY r.sequence LIMIT ?",
                    sweep(tenant, at, afterSequence, limit),
                    this::reservationRow)));
  }

  @Override
  public boolean updateAlert(
      TenantId tenant, AccountId account, Optional<AlertState> alert, long expectedVersion) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(alert, "alert");
    int updated =
        read(
            "updating an alert",
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "UPDATE "
                          + t("accounts")
                          + " SET alert_threshold = ?, alert_rearm_at = ?, alert_below = ?,"
                          + " version = version + 1"
                          + " WHERE tenant = ? AND account_id = ? AND version = ?")) {
                bindAlert(s, 1, alert);
                s.setString(4, tenant.value());
                s.setString(5, account.value());
                s.setLong(6, expectedVersion);
                return s.executeUpdate();
              }
            });
    if (updated == 1) {
      return true;
    }
    if (findAccount(tenant, account).isEmpty()) {
      throw new AccountNotFoundException(tenant, account);
    }
    return false;
  }

  private static void bindAlert(PreparedStatement s, int first, Optional<AlertState> alert)
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

  @Override
  public List<OutboxEntry> pendingEvents(int limit) {
    requireLimit(limit);
    return read(
        "reading the outbox",
        c ->
            query(
                c,
                "SELECT position, payload FROM " + t("outbox") + " ORDER BY position LIMIT ?",
                s -> s.setInt(1, limit),
                rs -> new OutboxEntry(rs.getLong("position"), JsonCodec.event(rs.getString(2)))));
  }

  @Override
  public void acknowledgeEvents(Collection<Long> positions) {
    InvalidRequestException.requireNonNull(positions, "positions");
    List<Long> all = List.copyOf(new HashSet<>(positions));
    if (all.isEmpty()) {
      return;
    }
    read(
        "acknowledging events",
        c -> {
          int deleted = 0;
          for (List<Long> chunk : chunks(all)) {
            try (PreparedStatement s =
                c.prepareStatement(
                    "DELETE FROM "
                        + t("outbox")
                        + " WHERE position IN ("
                        + placeholders(chunk.size())
                        + ")")) {
              for (int i = 0; i < chunk.size(); i++) {
                s.setLong(i + 1, chunk.get(i));
              }
              deleted += s.executeUpdate();
            }
          }
          return deleted;
        });
  }

  // ---------------------------------------------------------------- writes

  @Override
  public CommitResult commit(LedgerWrite write) {
    InvalidRequestException.requireNonNull(write, "write");
    return commitBatch(List.of(write)).get(0);
  }

  @Override
  public List<CommitResult> commitBatch(List<LedgerWrite> writes) {
    InvalidRequestException.requireNonNull(writes, "writes");
    if (writes.isEmpty()) {
      return List.of();
    }
    return transaction(
        "committing " + writes.size() + " write(s)", c -> new BatchWriter(c).apply(writes));
  }

  private record AccountKey(TenantId tenant, AccountId account) {}

  private record GrantKey(TenantId tenant, GrantId grant) {}

  private record ReservationKey(TenantId tenant, ReservationId id) {}

  private record KeyRef(TenantId tenant, IdempotencyKey key) {}

  /** A grant as the batch sees it: stored or created in this batch, with its running balance. */
  private static final class GrantState {
    final AccountId account;
    final long amount;
    final String id;
    long remaining;
    boolean voided;
    final @Nullable Grant created; // non-null when this batch creates it

    GrantState(
        String id,
        AccountId account,
        long amount,
        long remaining,
        boolean voided,
        @Nullable Grant g) {
      this.id = id;
      this.account = account;
      this.amount = amount;
      this.remaining = remaining;
      this.voided = voided;
      this.created = g;
    }
  }

  /** An account as the batch sees it. */
  private static final class AccountState {
    final Account account;
    long version;
    long overdraft;
    Optional<AlertState> alert;
    boolean changed;

    AccountState(AccountRow row) {
      this.account = row.account();
      this.version = row.version();
      this.overdraft = row.overdraft();
      this.alert = row.alert();
    }
  }

  /**
   * One batch inside one database transaction: lock, check against stored state (plus what the
   * batch's earlier writes did), then write what passed with statement batches.
   */
  private final class BatchWriter {
    private final Connection c;
    private final Map<AccountKey, AccountState> accounts = new HashMap<>();
    private final Map<GrantKey, GrantState> grants = new HashMap<>();
    private final Map<ReservationKey, Reservation> reservations = new HashMap<>();
    private final Set<ReservationKey> openedReservations = new HashSet<>();
    private final Set<ReservationKey> resolvedReservations = new HashSet<>();
    private final Set<GrantKey> touched = new HashSet<>();
    private final Map<KeyRef, LedgerTransaction> claimed = new HashMap<>();
    private final List<LedgerTransaction> committed = new ArrayList<>();
    private final List<BillingEvent> events = new ArrayList<>();

    private List<LedgerWrite> writes = List.of();
    private boolean grantsLoaded;

    BatchWriter(Connection c) {
      this.c = c;
    }

    /** A grant the batch has loaded or created (its writes were checked against them). */
    private GrantState knownGrant(GrantKey k) {
      GrantState g = grants.get(k);
      if (g == null) {
        throw new IllegalStateException("grant " + k.grant() + " is not loaded in the batch");
      }
      return g;
    }

    /** A reservation the batch has read or opened. */
    private Reservation knownReservation(ReservationKey k) {
      Reservation r = reservations.get(k);
      if (r == null) {
        throw new IllegalStateException("reservation " + k.id() + " is not known to the batch");
      }
      return r;
    }

    List<CommitResult> apply(List<LedgerWrite> writes) throws SQLException {
      // Lock every account the batch writes, one at a time in the fixed order.
      Set<AccountKey> keys = new java.util.TreeSet<>(LOCK_ORDER);
      for (LedgerWrite w : writes) {
        keys.add(new AccountKey(w.transaction().tenant(), w.transaction().account()));
      }
      for (AccountKey k : keys) {
        accountRow(c, k.tenant(), k.account(), true)
            .ifPresent(row -> accounts.put(k, new AccountState(row)));
      }
      this.writes = writes;
      List<CommitResult> results = new ArrayList<>(writes.size());
      WriteRules.BatchChain<AccountKey> chain = new WriteRules.BatchChain<>();
      for (LedgerWrite w : writes) {
        AccountKey k = new AccountKey(w.transaction().tenant(), w.transaction().account());
        AccountState a = accounts.get(k);
        CommitResult r =
            a != null && chain.countsOnUnapplied(k, w)
                ? WriteRules.BatchChain.answerChained(w, prior(w), a.version)
                : decide(w);
        chain.answered(k, w, r);
        results.add(r);
      }
      flush();
      return results;
    }

    /** Reads in one query per tenant every stored grant the batch's writes touch or create. */
    private void preloadGrants(List<LedgerWrite> writes) throws SQLException {
      Map<TenantId, Set<String>> wanted = new LinkedHashMap<>();
      for (LedgerWrite w : writes) {
        Set<String> ids =
            wanted.computeIfAbsent(w.transaction().tenant(), k -> new java.util.TreeSet<>());
        w.grantDeltas().keySet().forEach(g -> ids.add(g.value()));
        w.voidedGrants().forEach(g -> ids.add(g.value()));
        w.newGrants().forEach(g -> ids.add(g.id().value()));
      }
      for (Map.Entry<TenantId, Set<String>> e : wanted.entrySet()) {
        for (List<String> chunk : chunks(List.copyOf(e.getValue()))) {
          if (chunk.isEmpty()) {
            continue;
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT grant_id, account_id, amount, remaining, voided FROM "
                      + t("grants")
                      + " WHERE tenant = ? AND grant_id IN ("
                      + placeholders(chunk.size())
                      + ")")) {
            s.setString(1, e.getKey().value());
            for (int i = 0; i < chunk.size(); i++) {
              s.setString(i + 2, chunk.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                String id = rs.getString("grant_id");
                grants.put(
                    new GrantKey(e.getKey(), GrantId.of(id)),
                    new GrantState(
                        id,
                        AccountId.of(rs.getString("account_id")),
                        rs.getLong("amount"),
                        rs.getLong("remaining"),
                        rs.getBoolean("voided"),
                        null));
              }
            }
          }
        }
      }
    }

    /** The reservation as the batch sees it, or null if there is none. */
    private @Nullable Reservation currentReservation(TenantId tenant, ReservationId id) {
      ReservationKey k = new ReservationKey(tenant, id);
      if (reservations.containsKey(k)) {
        return reservations.get(k);
      }
      try {
        Reservation stored = reservation(c, tenant, id).orElse(null);
        reservations.put(k, stored);
        return stored;
      } catch (SQLException e) {
        throw new SqlInLambda(e);
      }
    }

    /** The transaction already stored (or claimed earlier in this batch) under w's key, or null. */
    private @Nullable LedgerTransaction prior(LedgerWrite w) throws SQLException {
      LedgerTransaction t = w.transaction();
      LedgerTransaction prior = claimed.get(new KeyRef(t.tenant(), t.idempotencyKey()));
      return prior != null ? prior : byKey(c, t.tenant(), t.idempotencyKey()).orElse(null);
    }

    private CommitResult decide(LedgerWrite w) throws SQLException {
      LedgerTransaction t = w.transaction();
      TenantId tenant = t.tenant();
      AccountState a = accounts.get(new AccountKey(tenant, t.account()));
      if (a == null) {
        return new CommitResult.Rejected("unknown account " + t.account());
      }
      LedgerTransaction prior = prior(w);
      if (prior != null) {
        return new CommitResult.Duplicate(prior);
      }
      if (w.expectedVersion() != a.version) {
        // Answered before anything else is read: the account lock is held meanwhile.
        return new CommitResult.VersionConflict(w.expectedVersion(), a.version);
      }
      if (!grantsLoaded) {
        preloadGrants(writes);
        grantsLoaded = true;
      }
      Unit unit = a.account.unit();
      for (Posting p : t.postings()) {
        if (!p.amount().unit().equals(unit)) {
          return new CommitResult.Rejected(
              "posting in " + p.amount().unit() + " on an account in " + unit);
        }
      }
      Map<GrantId, Grant> created = new LinkedHashMap<>();
      for (Grant g : w.newGrants()) {
        GrantState stored = grants.get(new GrantKey(tenant, g.id()));
        if (stored != null || created.put(g.id(), g) != null) {
          return new CommitResult.Rejected("grant id " + g.id() + " already exists in the tenant");
        }
        if (!g.amount().unit().equals(unit)) {
          return new CommitResult.Rejected("grant " + g.id() + " is not in " + unit);
        }
      }
      Map<GrantId, Long> deltas = w.grantDeltas();
      Map<GrantId, Long> after = new LinkedHashMap<>();
      for (Map.Entry<GrantId, Long> d : deltas.entrySet()) {
        GrantState before = grants.get(new GrantKey(tenant, d.getKey()));
        Grant fresh = created.get(d.getKey());
        long amount;
        long remaining;
        if (fresh != null) {
          amount = fresh.amount().minor();
          remaining = d.getValue();
        } else if (before != null && before.account.equals(t.account())) {
          amount = before.amount;
          remaining = Math.addExact(before.remaining, d.getValue());
        } else {
          return new CommitResult.Rejected("unknown grant " + d.getKey() + " on " + t.account());
        }
        Optional<String> broken = WriteRules.checkGrant(d.getKey().value(), remaining, amount);
        if (broken.isPresent()) {
          return new CommitResult.Rejected(broken.get());
        }
        after.put(d.getKey(), remaining);
      }
      for (GrantId v : w.voidedGrants()) {
        GrantState stored = grants.get(new GrantKey(tenant, v));
        if ((stored == null || !stored.account.equals(t.account())) && !created.containsKey(v)) {
          return new CommitResult.Rejected("unknown grant " + v + " on " + t.account());
        }
      }
      long overdraft = Math.addExact(a.overdraft, w.overdraftDelta());
      Optional<String> broken = WriteRules.checkOverdraft(a.account, overdraft);
      if (broken.isPresent()) {
        return new CommitResult.Rejected(broken.get());
      }
      try {
        broken = WriteRules.checkReservations(w, id -> currentReservation(tenant, id));
      } catch (SqlInLambda e) {
        throw e.getCause();
      }
      if (broken.isPresent()) {
        return new CommitResult.Rejected(broken.get());
      }

      // Every check passed: record the write's effects for the flush.
      LedgerTransaction stored = stored(t);
      claimed.put(new KeyRef(tenant, t.idempotencyKey()), stored);
      committed.add(stored);
      for (Grant g : created.values()) {
        grants.put(
            new GrantKey(tenant, g.id()),
            new GrantState(g.id().value(), g.account(), g.amount().minor(), 0, false, g));
      }
      for (Map.Entry<GrantId, Long> e : after.entrySet()) {
        knownGrant(new GrantKey(tenant, e.getKey())).remaining = e.getValue();
      }
      for (GrantId v : w.voidedGrants()) {
        knownGrant(new GrantKey(tenant, v)).voided = true;
      }
      touched.addAll(after.keySet().stream().map(g -> new GrantKey(tenant, g)).toList());
      w.voidedGrants().forEach(g -> touched.add(new GrantKey(tenant, g)));
      for (Reservation r : w.newReservations()) {
        ReservationKey k = new ReservationKey(tenant, r.id());
        reservations.put(k, r);
        openedReservations.add(k);
      }
      for (Map.Entry<ReservationId, ReservationState> e : w.resolvedReservations().entrySet()) {
        ReservationKey k = new ReservationKey(tenant, e.getKey());
        reservations.put(k, knownReservation(k).resolved(e.getValue(), t.id()));
        resolvedReservations.add(k);
      }
      a.overdraft = overdraft;
      if (w.alert().isPresent()) {
        a.alert = w.alert();
      }
      a.version++;
      a.changed = true;
      events.addAll(w.events());
      return new CommitResult.Committed(stored);
    }

    /** Writes everything the batch decided, in an order that satisfies the foreign keys. */
    private void flush() throws SQLException {
      if (committed.isEmpty()) {
        return;
      }
      updateAccounts();
      insertGrants();
      updateGrants();
      insertTransactions();
      insertPostings();
      insertReservations();
      updateReservations();
      insertEvents();
    }

    private void updateAccounts() throws SQLException {
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE "
                  + t("accounts")
                  + " SET version = ?, overdraft = ?, alert_threshold = ?, alert_rearm_at = ?,"
                  + " alert_below = ? WHERE tenant = ? AND account_id = ?")) {
        for (Map.Entry<AccountKey, AccountState> e : sorted(accounts)) {
          AccountState a = e.getValue();
          if (!a.changed) {
            continue;
          }
          s.setLong(1, a.version);
          s.setLong(2, a.overdraft);
          bindAlert(s, 3, a.alert);
          s.setString(6, e.getKey().tenant().value());
          s.setString(7, e.getKey().account().value());
          s.addBatch();
        }
        s.executeBatch();
      }
    }

    private List<Map.Entry<AccountKey, AccountState>> sorted(Map<AccountKey, AccountState> map) {
      List<Map.Entry<AccountKey, AccountState>> entries = new ArrayList<>(map.entrySet());
      entries.sort(Map.Entry.comparingByKey(LOCK_ORDER));
      return entries;
    }

    private void insertGrants() throws SQLException {
      record Fresh(Grant grant, GrantState state) {}
      List<Fresh> fresh = new ArrayList<>();
      for (GrantState g : grants.values()) {
        if (g.created != null) {
          fresh.add(new Fresh(g.created, g));
        }
      }
      fresh.sort(
          Comparator.comparing((Fresh f) -> f.grant().tenant().value())
              .thenComparing(f -> f.state().id));
      if (fresh.isEmpty()) {
        return;
      }
      String json = dialect.jsonParameter();
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO "
                  + t("grants")
                  + " (tenant, grant_id, account_id, name, category, priority, amount,"
                  + " effective_from, expires_at, scope, cost_basis, metadata, created_by,"
                  + " created_by_roles, created_at, sequence, remaining, voided) VALUES (?, ?, ?,"
                  + " ?, ?, ?, ?, ?, ?, "
                  + json
                  + ", "
                  + json
                  + ", "
                  + json
                  + ", ?, ?, ?, ?, ?, ?)")) {
        for (Fresh f : fresh) {
          Grant g = f.grant();
          GrantState state = f.state();
          s.setString(1, g.tenant().value());
          s.setString(2, g.id().value());
          s.setString(3, g.account().value());
          s.setString(4, g.name());
          s.setString(5, g.category().code());
          s.setInt(6, g.priority());
          s.setLong(7, g.amount().minor());
          setInstant(s, 8, g.effectiveFrom());
          setInstant(s, 9, g.expiresAt().orElse(null));
          s.setString(10, JsonCodec.scope(g.scope()));
          s.setString(11, JsonCodec.costBasis(g.costBasis()));
          s.setString(12, JsonCodec.metadata(g.metadata()));
          s.setString(13, g.createdBy().id());
          s.setString(14, StoredActors.roles(g.createdBy()));
          setInstant(s, 15, g.createdAt());
          s.setLong(16, g.sequence());
          s.setLong(17, state.remaining);
          s.setBoolean(18, state.voided);
          s.addBatch();
        }
        s.executeBatch();
      }
    }

    private void updateGrants() throws SQLException {
      List<GrantKey> changed =
          touched.stream()
              .filter(k -> knownGrant(k).created == null)
              .sorted(
                  Comparator.comparing((GrantKey k) -> k.tenant().value())
                      .thenComparing(k -> k.grant().value()))
              .toList();
      if (changed.isEmpty()) {
        return;
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE "
                  + t("grants")
                  + " SET remaining = ?, voided = ? WHERE tenant = ? AND grant_id = ?")) {
        for (GrantKey k : changed) {
          GrantState g = knownGrant(k);
          s.setLong(1, g.remaining);
          s.setBoolean(2, g.voided);
          s.setString(3, k.tenant().value());
          s.setString(4, k.grant().value());
          s.addBatch();
        }
        s.executeBatch();
      }
    }

    private void insertTransactions() throws SQLException {
      // In key order, so that two batches racing for the same keys wait on them in one order.
      List<LedgerTransaction> rows = new ArrayList<>(committed);
      rows.sort(
          Comparator.comparing((LedgerTransaction x) -> x.tenant().value())
              .thenComparing(x -> x.idempotencyKey().value()));
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO "
                  + t("transactions")
                  + " (tenant, transaction_id, account_id, type, idempotency_key, fingerprint,"
                  + " actor, actor_roles, reason, recorded_at, effective_at, refs, corrects,"
                  + " sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  + dialect.jsonParameter()
                  + ", ?, ?)")) {
        for (LedgerTransaction x : rows) {
          s.setString(1, x.tenant().value());
          s.setString(2, x.id().value());
          s.setString(3, x.account().value());
          s.setString(4, x.type().name());
          s.setString(5, x.idempotencyKey().value());
          s.setString(6, x.fingerprint());
          s.setString(7, x.actor().id());
          s.setString(8, StoredActors.roles(x.actor()));
          s.setString(9, x.reason());
          setInstant(s, 10, x.recordedAt());
          setInstant(s, 11, x.effectiveAt());
          s.setString(12, JsonCodec.metadata(x.references()));
          s.setString(13, x.corrects().map(TransactionId::value).orElse(null));
          s.setLong(14, x.sequence());
          s.addBatch();
        }
        s.executeBatch();
      }
    }

    private void insertPostings() throws SQLException {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO "
                  + t("postings")
                  + " (tenant, transaction_id, position, ledger_account, grant_id, amount)"
                  + " VALUES (?, ?, ?, ?, ?, ?)")) {
        int rows = 0;
        for (LedgerTransaction x : committed) {
          List<Posting> postings = x.postings();
          for (int i = 0; i < postings.size(); i++) {
            Posting p = postings.get(i);
            s.setString(1, x.tenant().value());
            s.setString(2, x.id().value());
            s.setInt(3, i);
            s.setString(4, p.account().kind().name());
            s.setString(5, p.account().isGrant() ? p.account().grantId() : null);
            s.setLong(6, p.amount().minor());
            s.addBatch();
            rows++;
          }
        }
        if (rows > 0) {
          s.executeBatch();
        }
      }
    }

    private void insertReservations() throws SQLException {
      List<ReservationKey> fresh =
          openedReservations.stream()
              .sorted(
                  Comparator.comparing((ReservationKey k) -> k.tenant().value())
                      .thenComparing(k -> k.id().value()))
              .toList();
      if (fresh.isEmpty()) {
        return;
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO "
                  + t("reservations")
                  + " (tenant, reservation_id, account_id, kind, item_code, held,"
                  + " hold_transaction, created_at, expires_at, state, resolution, sequence)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (ReservationKey k : fresh) {
          Reservation r = knownReservation(k);
          s.setString(1, r.tenant().value());
          s.setString(2, r.id().value());
          s.setString(3, r.account().value());
          s.setString(4, r.kind().name());
          s.setString(5, r.itemCode());
          s.setLong(6, r.held().minor());
          s.setString(7, r.hold().value());
          setInstant(s, 8, r.createdAt());
          setInstant(s, 9, r.expiresAt());
          s.setString(10, r.state().name());
          s.setString(11, r.resolution().map(TransactionId::value).orElse(null));
          s.setLong(12, r.sequence());
          s.addBatch();
        }
        s.executeBatch();
      }
    }

    private void updateReservations() throws SQLException {
      List<ReservationKey> changed =
          resolvedReservations.stream()
              .filter(k -> !openedReservations.contains(k))
              .sorted(
                  Comparator.comparing((ReservationKey k) -> k.tenant().value())
                      .thenComparing(k -> k.id().value()))
              .toList();
      if (changed.isEmpty()) {
        return;
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE "
                  + t("reservations")
                  + " SET state = ?, resolution = ? WHERE tenant = ? AND reservation_id = ?"
                  + " AND state = 'ACTIVE'")) {
        for (ReservationKey k : changed) {
          Reservation r = knownReservation(k);
          s.setString(1, r.state().name());
          s.setString(2, r.resolution().map(TransactionId::value).orElseThrow());
          s.setString(3, k.tenant().value());
          s.setString(4, k.id().value());
          s.addBatch();
        }
        int[] counts = s.executeBatch();
        for (int n : counts) {
          if (n == 0) {
            // The account lock makes this impossible; refuse to commit if it ever happens.
            throw new IllegalStateException("a reservation left ACTIVE under the account lock");
          }
        }
      }
    }

    private void insertEvents() throws SQLException {
      if (events.isEmpty()) {
        return;
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO "
                  + t("outbox")
                  + " (tenant, event_id, event_type, payload) VALUES (?, ?, ?, "
                  + dialect.jsonParameter()
                  + ")")) {
        for (BillingEvent e : events) {
          s.setString(1, e.tenant().value());
          s.setString(2, e.id());
          s.setString(3, e.getClass().getSimpleName());
          s.setString(4, JsonCodec.event(e));
          s.addBatch();
        }
        s.executeBatch();
      }
    }
  }

  // ================================================================ metering

  private static final Comparator<RatingCursor.Key> CURSOR_ORDER =
      Comparator.comparing((RatingCursor.Key k) -> k.tenant().value())
          .thenComparing(k -> k.account().value())
          .thenComparing(RatingCursor.Key::meter);

  private static final Comparator<EventKey> EVENT_ORDER =
      Comparator.comparing((EventKey k) -> k.tenant().value()).thenComparing(EventKey::id);

  private static final List<String> CURSOR_KEY = List.of("tenant", "account", "meter");

  private static final String METER_COLUMNS =
      "tenant, meter_key, aggregation, unit, dimensions, key_dimension, heartbeat_timeout_seconds";

  private static final String EVENT_COLUMNS =
      "tenant, event_id, account, meter, quantity, occurred_at, dimensions, fingerprint, sequence,"
          + " received_at";

  private static final String CURSOR_COLUMNS =
      "tenant, account, meter, version, rated_until, rated_sequence, ingested_sequence, state";

  private static final String LINE_COLUMNS =
      "tenant, account, meter, cursor_version, line_number, window_start, window_end, period_year,"
          + " period_month, dimensions, dimension_key, dimension_digest, quantity, credits,"
          + " unit_code, unit_scale, unit_currency, posting";

  /**
   * What usage summaries group rated lines by. The digest comes before the key and the dimensions:
   * a fixed-width value every database compares in full, where MariaDB, when it groups by sorting,
   * compares long text only up to {@code max_sort_length} (1,024 bytes by default).
   */
  static final String SUMMARY_GROUPS =
      "account, period_year, period_month, meter, dimension_digest, dimension_key, dimensions,"
          + " unit_code, unit_scale, unit_currency";

  /** The largest scale and integer digits of a rated line's quantity (DECIMAL(50, 12)). */
  private static final int LINE_SCALE = 12;

  private static final int LINE_INTEGER_DIGITS = 38;

  /** One usage event id in its tenant. */
  private record EventKey(TenantId tenant, String id) {
    static EventKey of(StoredUsageEvent e) {
      return new EventKey(e.event().tenant(), e.event().id());
    }
  }

  private static RatingCursor.Key cursorKey(UsageEvent e) {
    return new RatingCursor.Key(e.tenant(), e.account(), e.meter());
  }

  /**
   * An instant a window bound or watermark takes: rounded up to the microsecond. Usage times are
   * whole microseconds, so {@code t < bound} and {@code t >= bound} select the same usage whether
   * the bound is rounded up or not; rounding down (as other instants are stored) would move usage
   * at the bound's microsecond from one window to the next.
   */
  private static Instant ceilMicros(Instant instant) {
    Instant down = instant.truncatedTo(ChronoUnit.MICROS);
    return down.equals(instant) ? instant : down.plus(1, ChronoUnit.MICROS);
  }

  private void setBound(PreparedStatement s, int index, Instant value) throws SQLException {
    dialect.bindInstant(s, index, ceilMicros(value));
  }

  /** A quantity as read from a DECIMAL column, without the column's trailing zeros. */
  private static BigDecimal canonical(BigDecimal quantity) {
    if (quantity.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal stripped = quantity.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /** The hex SHA-256 of a dimension key's UTF-16 code units (exact for any Java string). */
  private static String digest(String dimensionKey) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(dimensionKey.getBytes(StandardCharsets.UTF_16BE)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Refuses text no database column keeps exactly (core's {@link dev.billingsdk.InputContract}): an
   * unpaired UTF-16 surrogate, which PostgreSQL refuses in jsonb and MariaDB and H2 would store as
   * '?', and NUL. Core already refuses both in every value; this guards the SPI's own entry.
   */
  private static @Nullable String wellFormed(@Nullable String value, String field) {
    return value == null
        ? null
        : dev.billingsdk.InputContract.text(value, field, Integer.MAX_VALUE);
  }

  private static void wellFormed(Map<String, String> dimensions, String field) {
    for (Map.Entry<String, String> d : dimensions.entrySet()) {
      wellFormed(d.getKey(), field);
      wellFormed(d.getValue(), field + "." + d.getKey());
    }
  }

  private static RatingCursor.Key wellFormed(RatingCursor.Key k) {
    wellFormed(k.tenant().value(), "tenant");
    wellFormed(k.account().value(), "account");
    wellFormed(k.meter(), "meter");
    return k;
  }

  private static void wellFormed(UsageEvent e) {
    wellFormed(cursorKey(e));
    wellFormed(e.id(), "id");
    wellFormed(e.dimensions(), "dimensions");
  }

  // ---------------------------------------------------------------- meters

  @Override
  public Meter insertMeterIfAbsent(Meter meter) {
    InvalidRequestException.requireNonNull(meter, "meter");
    wellFormed(meter.tenant().value(), "tenant");
    wellFormed(meter.key(), "meter");
    wellFormed(meter.unit(), "unit");
    meter.dimensions().forEach(d -> wellFormed(d, "dimensions"));
    Optional<Meter> existing = findMeter(meter.tenant(), meter.key());
    if (existing.isPresent()) {
      return existing.get();
    }
    String json = dialect.jsonParameter();
    insertUnlessRaced(
        "storing a meter",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  dialect.insertIfAbsentSql(
                      t("meters"),
                      List.of(
                          "tenant",
                          "meter_key",
                          "aggregation",
                          "unit",
                          "dimensions",
                          "key_dimension",
                          "heartbeat_timeout_seconds"),
                      List.of("?", "?", "?", "?", json, "?", "?"),
                      List.of("tenant", "meter_key")))) {
            s.setString(1, meter.tenant().value());
            s.setString(2, meter.key());
            s.setString(3, meter.aggregation().name());
            s.setString(4, meter.unit());
            s.setString(5, JsonCodec.dimensionNames(meter.dimensions()));
            s.setString(6, meter.keyDimension().orElse(null));
            if (meter.heartbeatTimeout().isPresent()) {
              s.setLong(7, meter.heartbeatTimeout().get().getSeconds());
            } else {
              s.setNull(7, java.sql.Types.BIGINT);
            }
            return s.executeUpdate();
          }
        });
    return findMeter(meter.tenant(), meter.key())
        .orElseThrow(() -> new IllegalStateException("meter vanished after insert"));
  }

  @Override
  public Optional<Meter> findMeter(TenantId tenant, String key) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(key, "meter");
    wellFormed(tenant.value(), "tenant");
    wellFormed(key, "meter");
    return read(
        "reading a meter",
        c ->
            query(
                    c,
                    "SELECT "
                        + METER_COLUMNS
                        + " FROM "
                        + t("meters")
                        + " WHERE tenant = ? AND meter_key = ?",
                    tenantAnd(tenant, key),
                    JdbcBillingStore::meterRow)
                .stream()
                .findFirst());
  }

  @Override
  public List<Meter> meters(TenantId tenant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    wellFormed(tenant.value(), "tenant");
    List<Meter> all =
        new ArrayList<>(
            read(
                "reading meters",
                c ->
                    query(
                        c,
                        "SELECT " + METER_COLUMNS + " FROM " + t("meters") + " WHERE tenant = ?",
                        s -> s.setString(1, tenant.value()),
                        JdbcBillingStore::meterRow)));
    // By key in Java's order, whatever the database's collation.
    all.sort(Comparator.comparing(Meter::key));
    return List.copyOf(all);
  }

  private static Meter meterRow(ResultSet rs) throws SQLException {
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

  // ---------------------------------------------------------------- usage events

  private StoredUsageEvent eventRow(ResultSet rs) throws SQLException {
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

  private RatingCursor cursorRow(ResultSet rs) throws SQLException {
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

  /** The event as it is stored: its sequence, and its receipt time to the microsecond. */
  private static StoredUsageEvent stored(StoredUsageEvent e, long sequence) {
    return new StoredUsageEvent(e.event(), e.fingerprint(), sequence, micros(e.receivedAt()));
  }

  @Override
  public List<IngestOutcome> ingest(List<StoredUsageEvent> events) {
    InvalidRequestException.requireNonNull(events, "events");
    List<StoredUsageEvent> batch = new ArrayList<>(events.size());
    for (StoredUsageEvent e : events) {
      InvalidRequestException.requireNonNull(e, "events");
      InvalidRequestException.requireNoNul(e.fingerprint(), "fingerprint");
      wellFormed(e.event());
      wellFormed(e.fingerprint(), "fingerprint");
      batch.add(e);
    }
    if (batch.isEmpty()) {
      return List.of();
    }
    try {
      return transaction(
          "ingesting " + batch.size() + " usage event(s)", c -> new Ingest(c, batch).run());
    } catch (Refused refused) {
      return refused.conflicts;
    }
  }

  /** Ends an ingest that met a conflict: its transaction is rolled back, and these are returned. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialized: caught in ingest
    final List<IngestOutcome> conflicts;

    Refused(List<IngestOutcome> conflicts) {
      super("usage event conflict", null, false, false);
      this.conflicts = conflicts;
    }
  }

  /** A rating cursor locked by an ingest. */
  private static final class LockedCursor {
    final boolean created;
    long ingested;
    @Nullable Instant firstNew; // the earliest new event's time, once there is one

    LockedCursor(boolean created, long ingested) {
      this.created = created;
      this.ingested = ingested;
    }
  }

  /**
   * One ingest inside one database transaction. It first locks the rating cursor of every (tenant,
   * account, meter) the batch names, one at a time in one order, creating the missing ones; only
   * then does it read which ids are stored, so everything committed under those cursors is seen. It
   * decides each event exactly as {@code InMemoryMetering} does, draws the new events' sequences
   * from the locked cursors, and writes the events (in id order) and the cursors. The primary key
   * (tenant, event_id) is the last guard: an id claimed meanwhile by an ingest under another cursor
   * (the same id with another account or meter) fails the insert, and the whole ingest runs again.
   */
  private final class Ingest {
    private final Connection c;
    private final List<StoredUsageEvent> batch;
    private final TreeMap<RatingCursor.Key, LockedCursor> cursors = new TreeMap<>(CURSOR_ORDER);

    Ingest(Connection c, List<StoredUsageEvent> batch) {
      this.c = c;
      this.batch = batch;
    }

    /** The cursor of a triple of the batch: every one is locked before events are numbered. */
    private LockedCursor locked(RatingCursor.Key k) {
      LockedCursor cursor = cursors.get(k);
      if (cursor == null) {
        throw new IllegalStateException("rating cursor " + k + " was not locked");
      }
      return cursor;
    }

    List<IngestOutcome> run() throws SQLException {
      Map<RatingCursor.Key, Instant> firstAt = new LinkedHashMap<>();
      for (StoredUsageEvent e : batch) {
        firstAt.putIfAbsent(cursorKey(e.event()), e.event().occurredAt());
      }
      TreeMap<RatingCursor.Key, Instant> ordered = new TreeMap<>(CURSOR_ORDER);
      ordered.putAll(firstAt);
      for (Map.Entry<RatingCursor.Key, Instant> k : ordered.entrySet()) {
        cursors.put(k.getKey(), lock(k.getKey(), k.getValue()));
      }

      Map<EventKey, StoredUsageEvent> stored = storedEvents();
      // Decide every outcome first, so that a conflict anywhere writes nothing.
      Map<EventKey, StoredUsageEvent> seen = new HashMap<>();
      List<IngestOutcome> outcomes = new ArrayList<>(batch.size());
      List<IngestOutcome> conflicts = new ArrayList<>();
      for (StoredUsageEvent e : batch) {
        EventKey key = EventKey.of(e);
        StoredUsageEvent existing = stored.get(key);
        if (existing == null) {
          existing = seen.get(key);
        }
        if (existing == null) {
          seen.put(key, e);
          outcomes.add(new IngestOutcome.Inserted(e));
        } else if (existing.fingerprint().equals(e.fingerprint())) {
          outcomes.add(new IngestOutcome.Duplicate(existing));
        } else {
          conflicts.add(new IngestOutcome.Conflict(existing, e));
        }
      }
      if (!conflicts.isEmpty()) {
        throw new Refused(List.copyOf(conflicts));
      }

      // Sequences in list order, from the locked cursors.
      Map<EventKey, StoredUsageEvent> inserted = new HashMap<>();
      List<IngestOutcome> results = new ArrayList<>(outcomes.size());
      for (IngestOutcome o : outcomes) {
        if (o instanceof IngestOutcome.Inserted i) {
          LockedCursor cursor = locked(cursorKey(i.stored().event()));
          if (cursor.firstNew == null) {
            cursor.firstNew = i.stored().event().occurredAt();
          }
          StoredUsageEvent s = stored(i.stored(), ++cursor.ingested);
          inserted.put(EventKey.of(s), s);
          results.add(new IngestOutcome.Inserted(s));
        } else {
          IngestOutcome.Duplicate d = (IngestOutcome.Duplicate) o;
          StoredUsageEvent same = inserted.get(EventKey.of(d.existing()));
          results.add(new IngestOutcome.Duplicate(same != null ? same : d.existing()));
        }
      }
      insertEvents(inserted.values());
      updateCursors();
      return results;
    }

    /** Creates the cursor if it is missing, then locks it; returns what it holds. */
    private LockedCursor lock(RatingCursor.Key k, Instant firstAt) throws SQLException {
      try (PreparedStatement s =
          c.prepareStatement(
              dialect.insertIfAbsentSql(
                  t("rating_cursors"),
                  List.of(
                      "tenant",
                      "account",
                      "meter",
                      "version",
                      "rated_until",
                      "rated_sequence",
                      "ingested_sequence",
                      "state"),
                  List.of("?", "?", "?", "?", "?", "?", "?", "?"),
                  CURSOR_KEY))) {
        s.setString(1, k.tenant().value());
        s.setString(2, k.account().value());
        s.setString(3, k.meter());
        s.setLong(4, 0);
        setBound(s, 5, firstAt);
        s.setLong(6, 0);
        s.setLong(7, 0);
        s.setString(8, "");
        s.executeUpdate();
      }
      List<Long> ingested =
          query(
              c,
              "SELECT ingested_sequence FROM "
                  + t("rating_cursors")
                  + " WHERE tenant = ? AND account = ? AND meter = ? FOR UPDATE",
              cursorBinder(k),
              rs -> rs.getLong(1));
      if (ingested.isEmpty()) {
        throw new IllegalStateException("rating cursor " + k + " vanished after insert");
      }
      // Ingest commits a cursor only together with its first event: at 0 it is this one's.
      return new LockedCursor(ingested.get(0) == 0, ingested.get(0));
    }

    /** The stored events under the batch's ids, read in one query per tenant (and chunk). */
    private Map<EventKey, StoredUsageEvent> storedEvents() throws SQLException {
      Map<TenantId, Set<String>> ids = new LinkedHashMap<>();
      for (StoredUsageEvent e : batch) {
        ids.computeIfAbsent(e.event().tenant(), k -> new java.util.TreeSet<>()).add(e.event().id());
      }
      Map<EventKey, StoredUsageEvent> stored = new HashMap<>();
      for (Map.Entry<TenantId, Set<String>> e : ids.entrySet()) {
        for (List<String> chunk : chunks(List.copyOf(e.getValue()))) {
          List<StoredUsageEvent> rows =
              query(
                  c,
                  "SELECT "
                      + EVENT_COLUMNS
                      + " FROM "
                      + t("usage_events")
                      + " WHERE tenant = ? AND event_id IN ("
                      + placeholders(chunk.size())
                      + ")",
                  s -> {
                    s.setString(1, e.getKey().value());
                    for (int i = 0; i < chunk.size(); i++) {
                      s.setString(i + 2, chunk.get(i));
                    }
                  },
                  JdbcBillingStore.this::eventRow);
          rows.forEach(r -> stored.put(EventKey.of(r), r));
        }
      }
      return stored;
    }

    private void insertEvents(Collection<StoredUsageEvent> fresh) throws SQLException {
      if (fresh.isEmpty()) {
        return;
      }
      // In id order, so that two ingests racing for the same ids wait on them in one order.
      List<StoredUsageEvent> rows = new ArrayList<>(fresh);
      rows.sort(Comparator.comparing(EventKey::of, EVENT_ORDER));
      String json = dialect.jsonParameter();
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO "
                  + t("usage_events")
                  + " ("
                  + EVENT_COLUMNS
                  + ") VALUES (?, ?, ?, ?, ?, ?, "
                  + json
                  + ", ?, ?, ?)")) {
        for (StoredUsageEvent r : rows) {
          UsageEvent e = r.event();
          s.setString(1, e.tenant().value());
          s.setString(2, e.id());
          s.setString(3, e.account().value());
          s.setString(4, e.meter());
          s.setBigDecimal(5, e.quantity());
          setInstant(s, 6, e.occurredAt());
          s.setString(7, JsonCodec.dimensions(e.dimensions()));
          s.setString(8, r.fingerprint());
          s.setLong(9, r.sequence());
          setInstant(s, 10, r.receivedAt());
          s.addBatch();
        }
        s.executeBatch();
      }
    }

    /**
     * Raises each cursor that got events; a cursor this ingest created starts at its first new
     * event, and one that got none (every event of its triple was a duplicate) is removed again.
     */
    private void updateCursors() throws SQLException {
      try (PreparedStatement raise =
              c.prepareStatement(
                  "UPDATE "
                      + t("rating_cursors")
                      + " SET ingested_sequence = ? WHERE tenant = ? AND account = ? AND meter = ?");
          PreparedStatement start =
              c.prepareStatement(
                  "UPDATE "
                      + t("rating_cursors")
                      + " SET ingested_sequence = ?, rated_until = ?"
                      + " WHERE tenant = ? AND account = ? AND meter = ?");
          PreparedStatement remove =
              c.prepareStatement(
                  "DELETE FROM "
                      + t("rating_cursors")
                      + " WHERE tenant = ? AND account = ? AND meter = ?")) {
        boolean raised = false;
        boolean started = false;
        boolean removed = false;
        for (Map.Entry<RatingCursor.Key, LockedCursor> e : cursors.entrySet()) {
          RatingCursor.Key k = e.getKey();
          LockedCursor cursor = e.getValue();
          if (cursor.firstNew == null) {
            if (cursor.created) {
              bindKey(remove, 1, k);
              remove.addBatch();
              removed = true;
            }
          } else if (cursor.created) {
            start.setLong(1, cursor.ingested);
            setBound(start, 2, cursor.firstNew);
            bindKey(start, 3, k);
            start.addBatch();
            started = true;
          } else {
            raise.setLong(1, cursor.ingested);
            bindKey(raise, 2, k);
            raise.addBatch();
            raised = true;
          }
        }
        if (raised) {
          raise.executeBatch();
        }
        if (started) {
          start.executeBatch();
        }
        if (removed) {
          remove.executeBatch();
        }
      }
    }
  }

  private static void bindKey(PreparedStatement s, int first, RatingCursor.Key k)
      throws SQLException {
    s.setString(first, k.tenant().value());
    s.setString(first + 1, k.account().value());
    s.setString(first + 2, k.meter());
  }

  private static Binder cursorBinder(RatingCursor.Key k) {
    return s -> bindKey(s, 1, k);
  }

  @Override
  public Optional<StoredUsageEvent> findUsageEvent(TenantId tenant, String id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "id");
    wellFormed(tenant.value(), "tenant");
    wellFormed(id, "id");
    return read(
        "reading a usage event",
        c ->
            query(
                    c,
                    "SELECT "
                        + EVENT_COLUMNS
                        + " FROM "
                        + t("usage_events")
                        + " WHERE tenant = ? AND event_id = ?",
                    tenantAnd(tenant, id),
                    this::eventRow)
                .stream()
                .findFirst());
  }

  @Override
  public List<StoredUsageEvent> lateUsage(
      TenantId tenant,
      AccountId account,
      String meter,
      long afterSequence,
      long upToSequence,
      Instant occurredBefore,
      int limit) {
    RatingCursor.Key k = wellFormed(new RatingCursor.Key(tenant, account, meter));
    InvalidRequestException.requireNonNull(occurredBefore, "occurredBefore");
    requireLimit(limit);
    if (upToSequence <= afterSequence) {
      return List.of();
    }
    return read(
        "reading late usage",
        c ->
            List.copyOf(
                query(
                    c,
                    "SELECT "
                        + EVENT_COLUMNS
                        + " FROM "
                        + t("usage_events")
                        + " WHERE tenant = ? AND account = ? AND meter = ?"
                        + " AND sequence > ? AND sequence <= ? AND occurred_at < ?"
                        + " ORDER BY sequence LIMIT ?",
                    s -> {
                      bindKey(s, 1, k);
                      s.setLong(4, afterSequence);
                      s.setLong(5, upToSequence);
                      setBound(s, 6, occurredBefore);
                      s.setInt(7, limit);
                    },
                    this::eventRow)));
  }

  @Override
  public List<StoredUsageEvent> windowUsage(
      TenantId tenant,
      AccountId account,
      String meter,
      Instant from,
      Instant to,
      long upToSequence,
      Optional<UsagePosition> after,
      int limit) {
    RatingCursor.Key k = wellFormed(new RatingCursor.Key(tenant, account, meter));
    InvalidRequestException.requireNonNull(from, "from");
    InvalidRequestException.requireNonNull(to, "to");
    InvalidRequestException.requireNonNull(after, "after");
    after.ifPresent(p -> InvalidRequestException.requireNonNull(p.occurredAt(), "after"));
    requireLimit(limit);
    List<String> order = List.of("occurred_at", "sequence");
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + EVENT_COLUMNS
                + " FROM "
                + t("usage_events")
                + " WHERE tenant = ? AND account = ? AND meter = ?"
                + " AND occurred_at >= ? AND occurred_at < ? AND sequence <= ?");
    if (after.isPresent()) {
      sql.append(" AND ").append(dialect.rowAfter(order));
    }
    sql.append(" ORDER BY occurred_at, sequence LIMIT ?");
    return read(
        "reading a window's usage",
        c ->
            List.copyOf(
                query(
                    c,
                    sql.toString(),
                    s -> {
                      bindKey(s, 1, k);
                      setBound(s, 4, from);
                      setBound(s, 5, to);
                      s.setLong(6, upToSequence);
                      int i = 7;
                      if (after.isPresent()) {
                        // Usage at whole microseconds after a finer position: after its
                        // microsecond, whatever the sequence.
                        Instant at = after.get().occurredAt();
                        Instant down = at.truncatedTo(ChronoUnit.MICROS);
                        long seq = down.equals(at) ? after.get().sequence() : Long.MAX_VALUE;
                        for (int value : dialect.rowAfterValues(order.size())) {
                          if (value == 0) {
                            dialect.bindInstant(s, i++, down);
                          } else {
                            s.setLong(i++, seq);
                          }
                        }
                      }
                      s.setInt(i, limit);
                    },
                    this::eventRow)));
  }

  // ---------------------------------------------------------------- rating cursors

  @Override
  public Optional<RatingCursor> findRatingCursor(TenantId tenant, AccountId account, String meter) {
    RatingCursor.Key k = wellFormed(new RatingCursor.Key(tenant, account, meter));
    return read(
        "reading a rating cursor",
        c ->
            query(
                    c,
                    "SELECT "
                        + CURSOR_COLUMNS
                        + " FROM "
                        + t("rating_cursors")
                        + " WHERE tenant = ? AND account = ? AND meter = ?",
                    cursorBinder(k),
                    this::cursorRow)
                .stream()
                .findFirst());
  }

  @Override
  public List<RatingCursor> ratingCursors(Optional<RatingCursor.Key> after, int limit) {
    InvalidRequestException.requireNonNull(after, "after");
    after.ifPresent(JdbcBillingStore::wellFormed);
    requireLimit(limit);
    StringBuilder sql =
        new StringBuilder("SELECT " + CURSOR_COLUMNS + " FROM " + t("rating_cursors"));
    if (after.isPresent()) {
      sql.append(" WHERE ").append(dialect.rowAfter(CURSOR_KEY));
    }
    sql.append(" ORDER BY tenant, account, meter LIMIT ?");
    return read(
        "reading rating cursors",
        c ->
            List.copyOf(
                query(
                    c,
                    sql.toString(),
                    s -> {
                      int i = 1;
                      if (after.isPresent()) {
                        RatingCursor.Key k = after.get();
                        String[] values = {k.tenant().value(), k.account().value(), k.meter()};
                        for (int value : dialect.rowAfterValues(CURSOR_KEY.size())) {
                          s.setString(i++, values[value]);
                        }
                      }
                      s.setInt(i, limit);
                    },
                    this::cursorRow)));
  }

  @Override
  public boolean advanceRatingCursor(RatingCursor next, List<RatedLine> lines) {
    InvalidRequestException.requireNonNull(next, "next");
    InvalidRequestException.requireNonNull(lines, "lines");
    wellFormed(next.key());
    wellFormed(next.state(), "state");
    List<RatedLine> rows = List.copyOf(checkLines(next, lines));
    return transaction(
        "advancing a rating cursor",
        c -> {
          int moved;
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE "
                      + t("rating_cursors")
                      + " SET version = ?, rated_until = ?, rated_sequence = ?, state = ?"
                      + " WHERE tenant = ? AND account = ? AND meter = ? AND version = ?")) {
            s.setLong(1, next.version());
            setBound(s, 2, next.ratedUntil());
            s.setLong(3, next.ratedSequence());
            s.setString(4, next.state());
            bindKey(s, 5, next.key());
            s.setLong(8, next.version() - 1);
            moved = s.executeUpdate();
          }
          if (moved != 1) {
            return false;
          }
          insertLines(c, rows);
          return true;
        });
  }

  /** The step's lines, refused (typed) if they are not this step's or do not fit the columns. */
  private static List<RatedLine> checkLines(RatingCursor next, List<RatedLine> lines) {
    Set<Integer> numbers = new HashSet<>();
    for (RatedLine l : lines) {
      InvalidRequestException.requireNonNull(l, "lines");
      if (!l.tenant().equals(next.tenant())
          || !l.account().equals(next.account())
          || !l.meter().equals(next.meter())) {
        throw new InvalidRequestException(
            "lines", l.tenant() + "/" + l.account() + "/" + l.meter(), "must be the cursor's own");
      }
      if (l.cursorVersion() != next.version()) {
        throw new InvalidRequestException(
            "cursorVersion", l.cursorVersion(), "must be the version the step reaches");
      }
      if (l.lineNumber() < 0 || !numbers.add(l.lineNumber())) {
        throw new InvalidRequestException(
            "lineNumber", l.lineNumber(), "must be distinct and not negative within a step");
      }
      BigDecimal q = canonical(l.quantity());
      if (q.scale() > LINE_SCALE) {
        throw new InvalidRequestException(
            "quantity",
            l.quantity().toPlainString(),
            "has more than " + LINE_SCALE + " decimal places, more than the store keeps");
      }
      if (q.precision() - q.scale() > LINE_INTEGER_DIGITS) {
        throw new InvalidRequestException(
            "quantity",
            l.quantity().toPlainString(),
            "has more than " + LINE_INTEGER_DIGITS + " integer digits, more than the store keeps");
      }
      l.posting()
          .ifPresent(
              p -> wellFormed(InvalidRequestException.requireNoNul(p, "posting"), "posting"));
      wellFormed(l.dimensions(), "dimensions");
    }
    return lines;
  }

  private void insertLines(Connection c, List<RatedLine> lines) throws SQLException {
    if (lines.isEmpty()) {
      return;
    }
    String json = dialect.jsonParameter();
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + t("rated_lines")
                + " ("
                + LINE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + json
                + ", ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (RatedLine l : lines) {
        String dimensionKey = RatedLine.dimensionKey(l.dimensions());
        Unit unit = l.credits().unit();
        s.setString(1, l.tenant().value());
        s.setString(2, l.account().value());
        s.setString(3, l.meter());
        s.setLong(4, l.cursorVersion());
        s.setInt(5, l.lineNumber());
        setBound(s, 6, l.windowStart());
        setBound(s, 7, l.windowEnd());
        s.setInt(8, l.period().getYear());
        s.setInt(9, l.period().getMonthValue());
        s.setString(10, JsonCodec.dimensions(l.dimensions()));
        s.setString(11, dimensionKey);
        s.setString(12, digest(dimensionKey));
        s.setBigDecimal(13, l.quantity());
        s.setLong(14, l.credits().minor());
        s.setString(15, unit.code());
        s.setInt(16, unit.scale());
        s.setBoolean(17, unit instanceof CurrencyUnit);
        s.setString(18, l.posting().orElse(null));
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  @Override
  public List<RatedLine> ratedLines(
      TenantId tenant, AccountId account, String meter, long cursorVersion) {
    RatingCursor.Key k = wellFormed(new RatingCursor.Key(tenant, account, meter));
    return read(
        "reading rated lines",
        c ->
            List.copyOf(
                query(
                    c,
                    "SELECT "
                        + LINE_COLUMNS
                        + " FROM "
                        + t("rated_lines")
                        + " WHERE tenant = ? AND account = ? AND meter = ? AND cursor_version = ?"
                        + " ORDER BY line_number",
                    s -> {
                      bindKey(s, 1, k);
                      s.setLong(4, cursorVersion);
                    },
                    this::lineRow)));
  }

  private RatedLine lineRow(ResultSet rs) throws SQLException {
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

  @Override
  public List<UsageSummaryRow> usageSummary(UsageSummaryQuery q) {
    InvalidRequestException.requireNonNull(q, "query");
    wellFormed(q.tenant().value(), "tenant");
    q.account().ifPresent(a -> wellFormed(a.value(), "account"));
    q.meter().ifPresent(m -> wellFormed(m, "meter"));
    // One GROUP BY, on the index that starts with (tenant, period_year, period_month).
    String groups = SUMMARY_GROUPS;
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + groups
                + ", SUM(quantity) AS quantity, SUM(credits) AS credits FROM "
                + t("rated_lines")
                + " WHERE tenant = ?");
    q.year().ifPresent(y -> sql.append(" AND period_year = ?"));
    q.month().ifPresent(m -> sql.append(" AND period_month = ?"));
    q.account().ifPresent(a -> sql.append(" AND account = ?"));
    q.meter().ifPresent(m -> sql.append(" AND meter = ?"));
    sql.append(" GROUP BY ").append(groups);
    return read(
        "reading usage summaries",
        c ->
            List.copyOf(
                query(
                    c,
                    sql.toString(),
                    s -> {
                      int i = 1;
                      s.setString(i++, q.tenant().value());
                      if (q.year().isPresent()) {
                        s.setInt(i++, q.year().get());
                      }
                      if (q.month().isPresent()) {
                        s.setInt(i++, q.month().get());
                      }
                      if (q.account().isPresent()) {
                        s.setString(i++, q.account().get().value());
                      }
                      if (q.meter().isPresent()) {
                        s.setString(i, q.meter().get());
                      }
                    },
                    rs ->
                        new UsageSummaryRow(
                            q.tenant(),
                            AccountId.of(rs.getString("account")),
                            rs.getInt("period_year"),
                            rs.getInt("period_month"),
                            rs.getString("meter"),
                            JsonCodec.dimensions(rs.getString("dimensions")),
                            rs.getBigDecimal("quantity"),
                            // A sum beyond a long is an ArithmeticException, as in memory.
                            Amount.ofMinor(unit(rs), rs.getBigDecimal("credits").longValueExact()),
                            Optional.empty()))));
  }

  /** The transaction as it is stored: instants at microsecond precision. */
  private static LedgerTransaction stored(LedgerTransaction t) {
    Instant recorded = micros(t.recordedAt());
    Instant effective = micros(t.effectiveAt());
    if (recorded.equals(t.recordedAt()) && effective.equals(t.effectiveAt())) {
      return t;
    }
    return new LedgerTransaction(
        t.id(),
        t.tenant(),
        t.account(),
        t.type(),
        t.idempotencyKey(),
        t.fingerprint(),
        t.actor(),
        t.reason(),
        recorded,
        effective,
        t.postings(),
        t.references(),
        t.sequence());
  }

  /** Carries a checked SQL failure out of a lambda the SPI's rule helpers call. */
  private static final class SqlInLambda extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SQLException sql;

    SqlInLambda(SQLException cause) {
      super(cause);
      this.sql = cause;
    }

    @Override
    public synchronized SQLException getCause() {
      return sql;
    }
  }
}
