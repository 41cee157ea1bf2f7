package dev.billingsdk.jdbc;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Unit;
import dev.billingsdk.report.PartnerModule;
import dev.billingsdk.report.Payout;
import dev.billingsdk.spi.RevenueStore;
import dev.billingsdk.spi.StoreFailureException;
import dev.billingsdk.spi.StoreRejectedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The {@link RevenueStore} on the host's {@link DataSource}: consumption is read from the ledger
 * tables of schema version 1 (transactions, postings, grants, accounts) through the index {@code
 * <prefix>transactions_consumption} that schema version 11 adds, a page at a time; the registry and
 * the payouts live in {@code <prefix>partner_modules} and {@code <prefix>payouts}, whose primary
 * keys make a publication once per module and instant and a payout once per tenant, partner and
 * month: an insert that loses reads the winner's row.
 */
public final class JdbcRevenueStore implements RevenueStore {
  private static final int IN_CHUNK = 500;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String prefix;

  private JdbcRevenueStore(DataSource dataSource, Dialect dialect, String prefix) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.prefix = prefix;
  }

  /**
   * The revenue store on {@code dataSource}, in the tables under {@code tablePrefix} (the billing
   * store's). The schema must already be at {@link Schema#VERSION}.
   *
   * @throws SchemaVersionException if the schema is at another version
   * @throws StoreFailureException if the database cannot be reached
   */
  public static JdbcRevenueStore create(DataSource dataSource, String tablePrefix) {
    String prefix = Schema.checkPrefix(tablePrefix);
    return new JdbcRevenueStore(dataSource, StoreSupport.start(dataSource, prefix), prefix);
  }

  private String t(String table) {
    return prefix + table;
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

  private void bindInstant(PreparedStatement s, int i, Instant at) throws SQLException {
    dialect.bindInstant(s, i, at.truncatedTo(ChronoUnit.MICROS));
  }

  private static Unit unit(ResultSet rs) throws SQLException {
    String code = rs.getString("unit_code");
    return rs.getBoolean("unit_currency")
        ? CurrencyUnit.of(code)
        : CreditUnit.of(code, rs.getInt("unit_scale"));
  }

  // ---------------------------------------------------------------- consumption

  private record Head(
      LedgerTransaction withoutPostings,
      Unit unit,
      Optional<RevenueStore.CorrectedDebit> corrects) {}

  @Override
  public List<Consumption> consumption(
      TenantId tenant, Instant from, Instant until, Optional<Position> after, int limit) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(from, "from");
    InvalidRequestException.requireNonNull(until, "until");
    InvalidRequestException.requireNonNull(after, "after");
    RevenueStore.checkLimit(limit);
    // The page is chosen from the (tenant, effective_at, sequence) index alone, in its order; only
    // then are its rows joined to their account (the unit) and to the debit a reversal corrects.
    StringBuilder page =
        new StringBuilder(
            "SELECT tenant, transaction_id, account_id, type, idempotency_key, fingerprint, actor,"
                + " actor_roles, reason, recorded_at, effective_at, refs, corrects, sequence FROM "
                + t("transactions")
                + " WHERE tenant = ? AND type IN ('USAGE_DEBIT', 'CHARGE', 'REVERSAL')"
                + " AND effective_at >= ? AND effective_at < ?");
    if (after.isPresent()) {
      page.append(" AND (effective_at > ? OR (effective_at = ? AND sequence > ?))");
    }
    page.append(" ORDER BY effective_at, sequence LIMIT ?");
    String sql =
        "SELECT x.transaction_id, x.account_id, x.type, x.idempotency_key, x.fingerprint,"
            + " x.actor, x.actor_roles, x.reason, x.recorded_at, x.effective_at, x.refs,"
            + " x.sequence, a.unit_code, a.unit_scale, a.unit_currency,"
            + " o.transaction_id AS o_id, o.effective_at AS o_effective_at, o.refs AS o_refs"
            + " FROM ("
            + page
            + ") x JOIN "
            + t("accounts")
            + " a ON a.tenant = x.tenant AND a.account_id = x.account_id LEFT JOIN "
            + t("transactions")
            + " o ON o.tenant = x.tenant AND o.transaction_id = x.corrects"
            + " ORDER BY x.effective_at, x.sequence";
    return read(
        "reading consumption of " + tenant,
        c -> {
          List<Head> heads = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setString(i++, tenant.value());
            bindInstant(s, i++, from);
            bindInstant(s, i++, until);
            if (after.isPresent()) {
              bindInstant(s, i++, after.get().effectiveAt());
              bindInstant(s, i++, after.get().effectiveAt());
              s.setLong(i++, after.get().sequence());
            }
            s.setInt(i, limit);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                heads.add(head(tenant, rs));
              }
            }
          }
          Map<String, List<Posting>> postings = postings(c, tenant, heads);
          List<Consumption> out = new ArrayList<>(heads.size());
          for (Head h : heads) {
            LedgerTransaction x = h.withoutPostings();
            out.add(
                new Consumption(
                    new LedgerTransaction(
                        x.id(),
                        x.tenant(),
                        x.account(),
                        x.type(),
                        x.idempotencyKey(),
                        x.fingerprint(),
                        x.actor(),
                        x.reason(),
                        x.recordedAt(),
                        x.effectiveAt(),
                        postings.getOrDefault(x.id().value(), List.of()),
                        x.references(),
                        x.sequence()),
                    h.corrects()));
          }
          return List.copyOf(out);
        });
  }

  /**
   * A transaction row. Its postings come in a second query; until then it carries a placeholder
   * pair of postings, so that it can be built (postings must balance), and is rebuilt with its own.
   */
  private Head head(TenantId tenant, ResultSet rs) throws SQLException {
    Unit unit = unit(rs);
    String correctedId = rs.getString("o_id");
    Optional<RevenueStore.CorrectedDebit> corrects =
        correctedId == null
            ? Optional.empty()
            : Optional.of(
                new RevenueStore.CorrectedDebit(
                    TransactionId.of(correctedId),
                    dialect.readInstant(rs, "o_effective_at"),
                    JsonCodec.metadata(rs.getString("o_refs"))));
    LedgerTransaction t =
        new LedgerTransaction(
            TransactionId.of(rs.getString("transaction_id")),
            tenant,
            AccountId.of(rs.getString("account_id")),
            TransactionType.valueOf(rs.getString("type")),
            IdempotencyKey.of(rs.getString("idempotency_key")),
            rs.getString("fingerprint"),
            StoredActors.actor(rs.getString("actor"), rs.getString("actor_roles")),
            rs.getString("reason"),
            dialect.readInstant(rs, "recorded_at"),
            dialect.readInstant(rs, "effective_at"),
            List.of(),
            JsonCodec.metadata(rs.getString("refs")),
            rs.getLong("sequence"));
    return new Head(t, unit, corrects);
  }

  private Map<String, List<Posting>> postings(Connection c, TenantId tenant, List<Head> heads)
      throws SQLException {
    Map<String, Unit> units = new HashMap<>();
    heads.forEach(h -> units.put(h.withoutPostings().id().value(), h.unit()));
    Map<String, TreeMap<Integer, Posting>> byTransaction = new HashMap<>();
    List<String> ids = new ArrayList<>(units.keySet());
    for (int from = 0; from < ids.size(); from += IN_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT transaction_id, position, ledger_account, grant_id, amount FROM "
                  + t("postings")
                  + " WHERE "
                  + dialect.tenantIdIn("tenant", "transaction_id", chunk.size()))) {
        dialect.bindTenantIds(s, 1, tenant.value(), chunk);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            String id = rs.getString("transaction_id");
            LedgerAccount.Kind kind = LedgerAccount.Kind.valueOf(rs.getString("ledger_account"));
            LedgerAccount account =
                kind == LedgerAccount.Kind.GRANT
                    ? LedgerAccount.grant(GrantId.of(rs.getString("grant_id")))
                    : LedgerAccount.counter(kind);
            Unit unit = units.get(id);
            if (unit == null) {
              throw new StoreRejectedException("a posting of an unread transaction: " + id);
            }
            byTransaction
                .computeIfAbsent(id, k -> new TreeMap<>())
                .put(
                    rs.getInt("position"),
                    Posting.of(account, Amount.ofMinor(unit, rs.getLong("amount"))));
          }
        }
      }
    }
    Map<String, List<Posting>> out = new HashMap<>();
    byTransaction.forEach((id, p) -> out.put(id, List.copyOf(p.values())));
    return out;
  }

  // ---------------------------------------------------------------- grants

  @Override
  public List<Grant> grants(TenantId tenant, Collection<GrantId> ids) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(ids, "grants");
    List<String> wanted =
        new ArrayList<>(new LinkedHashSet<>(ids.stream().map(GrantId::value).toList()));
    if (wanted.isEmpty()) {
      return List.of();
    }
    return read(
        "reading grants of " + tenant,
        c -> {
          List<Grant> out = new ArrayList<>();
          for (int from = 0; from < wanted.size(); from += IN_CHUNK) {
            List<String> chunk = wanted.subList(from, Math.min(wanted.size(), from + IN_CHUNK));
            try (PreparedStatement s =
                c.prepareStatement(
                    "SELECT g.grant_id, g.account_id, g.name, g.category, g.priority, g.amount,"
                        + " g.effective_from, g.expires_at, g.scope, g.cost_basis, g.metadata,"
                        + " g.created_by, g.created_by_roles, g.created_at, g.sequence,"
                        + " a.unit_code, a.unit_scale, a.unit_currency FROM "
                        + t("grants")
                        + " g JOIN "
                        + t("accounts")
                        + " a ON a.tenant = g.tenant AND a.account_id = g.account_id"
                        + " WHERE "
                        + dialect.tenantIdIn("g.tenant", "g.grant_id", chunk.size()))) {
              dialect.bindTenantIds(s, 1, tenant.value(), chunk);
              try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                  out.add(grant(tenant, rs));
                }
              }
            }
          }
          return List.copyOf(out);
        });
  }

  private Grant grant(TenantId tenant, ResultSet rs) throws SQLException {
    Unit unit = unit(rs);
    return new Grant(
        GrantId.of(rs.getString("grant_id")),
        tenant,
        AccountId.of(rs.getString("account_id")),
        rs.getString("name"),
        dev.billingsdk.credit.GrantCategory.of(rs.getString("category")),
        rs.getInt("priority"),
        Amount.ofMinor(unit, rs.getLong("amount")),
        dialect.readInstant(rs, "effective_from"),
        Optional.ofNullable(dialect.readInstantOrNull(rs, "expires_at")),
        JsonCodec.scope(rs.getString("scope")),
        JsonCodec.costBasis(rs.getString("cost_basis")),
        JsonCodec.metadata(rs.getString("metadata")),
        StoredActors.actor(rs.getString("created_by"), rs.getString("created_by_roles")),
        dialect.readInstant(rs, "created_at"),
        rs.getLong("sequence"));
  }

  // ---------------------------------------------------------------- registry

  private static final String MODULE_COLUMNS =
      "tenant, module, effective_from, partner, published_by, published_by_roles, published_at";

  @Override
  public Published publish(PartnerModule m) {
    InvalidRequestException.requireNonNull(m, "module");
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO "
                    + t("partner_modules")
                    + " ("
                    + MODULE_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      c.setAutoCommit(true);
      s.setString(1, m.tenant().value());
      s.setString(2, m.module());
      bindInstant(s, 3, m.effectiveFrom());
      s.setString(4, m.partner());
      s.setString(5, m.publishedBy().id());
      s.setString(6, StoredActors.roles(m.publishedBy()));
      bindInstant(s, 7, m.publishedAt());
      s.executeUpdate();
      return new Published(m, true);
    } catch (SQLException e) {
      if (!dialect.isUniqueViolation(e)) {
        throw StoreSupport.failure("publishing module " + m.module(), e);
      }
    }
    Instant at = m.effectiveFrom().truncatedTo(ChronoUnit.MICROS);
    return publications(m.tenant()).stream()
        .filter(p -> p.module().equals(m.module()) && p.effectiveFrom().equals(at))
        .findFirst()
        .map(p -> new Published(p, false))
        .orElseThrow(
            () -> new StoreRejectedException("publication of " + m.module() + " vanished"));
  }

  @Override
  public List<PartnerModule> publications(TenantId tenant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    return read(
        "reading publications of " + tenant,
        c -> {
          List<PartnerModule> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + MODULE_COLUMNS
                      + " FROM "
                      + t("partner_modules")
                      + " WHERE tenant = ? ORDER BY module, effective_from")) {
            s.setString(1, tenant.value());
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new PartnerModule(
                        tenant,
                        rs.getString("module"),
                        rs.getString("partner"),
                        dialect.readInstant(rs, "effective_from"),
                        StoredActors.actor(
                            rs.getString("published_by"), rs.getString("published_by_roles")),
                        dialect.readInstant(rs, "published_at")));
              }
            }
          }
          // Databases order text by collation; the SPI orders by the identifiers' own order.
          out.sort(
              java.util.Comparator.comparing(PartnerModule::module)
                  .thenComparing(PartnerModule::effectiveFrom));
          return List.copyOf(out);
        });
  }

  // ---------------------------------------------------------------- payouts

  private static final String PAYOUT_COLUMNS =
      "tenant, partner, payout_month, zone, share, settings_version, amounts, transactions,"
          + " created_by, created_by_roles, created_at";

  @Override
  public PayoutInsert insertPayout(Payout p) {
    InvalidRequestException.requireNonNull(p, "payout");
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO "
                    + t("payouts")
                    + " ("
                    + PAYOUT_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      c.setAutoCommit(true);
      s.setString(1, p.tenant().value());
      s.setString(2, p.partner());
      s.setString(3, p.month().toString());
      s.setString(4, p.zone().getId());
      s.setString(5, p.share().value().toPlainString());
      s.setInt(6, p.settingsVersion());
      s.setString(7, amounts(p.amounts()));
      s.setLong(8, p.transactions());
      s.setString(9, p.createdBy().id());
      s.setString(10, StoredActors.roles(p.createdBy()));
      bindInstant(s, 11, p.createdAt());
      s.executeUpdate();
      return new PayoutInsert(p, true);
    } catch (SQLException e) {
      if (!dialect.isUniqueViolation(e)) {
        throw StoreSupport.failure("writing the payout of " + p.partner() + " for " + p.month(), e);
      }
    }
    return findPayout(p.tenant(), p.partner(), p.month())
        .map(old -> new PayoutInsert(old, false))
        .orElseThrow(() -> new StoreRejectedException("payout of " + p.partner() + " vanished"));
  }

  private static String amounts(List<Amount> amounts) {
    StringBuilder b = new StringBuilder();
    for (Amount a : amounts) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(JsonCodec.amount(a));
    }
    return b.toString();
  }

  private static List<Amount> amounts(String text) {
    List<Amount> out = new ArrayList<>();
    if (!text.isEmpty()) {
      for (String line : text.split("\n", -1)) {
        out.add(JsonCodec.amount(line));
      }
    }
    return out;
  }

  @Override
  public Optional<Payout> findPayout(TenantId tenant, String partner, YearMonth month) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(partner, "partner");
    InvalidRequestException.requireNonNull(month, "month");
    if (!StoreSupport.isIdentifier(partner)) {
      return Optional.empty();
    }
    return selectPayouts(tenant, month, Optional.of(partner)).stream().findFirst();
  }

  @Override
  public List<Payout> payouts(TenantId tenant, YearMonth month) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(month, "month");
    return selectPayouts(tenant, month, Optional.empty());
  }

  private List<Payout> selectPayouts(TenantId tenant, YearMonth month, Optional<String> partner) {
    return read(
        "reading payouts of " + tenant,
        c -> {
          List<Payout> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + PAYOUT_COLUMNS
                      + " FROM "
                      + t("payouts")
                      + " WHERE tenant = ? AND payout_month = ?"
                      + (partner.isPresent() ? " AND partner = ?" : ""))) {
            s.setString(1, tenant.value());
            s.setString(2, month.toString());
            if (partner.isPresent()) {
              s.setString(3, partner.get());
            }
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Payout(
                        tenant,
                        rs.getString("partner"),
                        YearMonth.parse(rs.getString("payout_month")),
                        ZoneId.of(rs.getString("zone")),
                        Percentage.of(rs.getString("share")),
                        rs.getInt("settings_version"),
                        amounts(rs.getString("amounts")),
                        rs.getLong("transactions"),
                        StoredActors.actor(
                            rs.getString("created_by"), rs.getString("created_by_roles")),
                        dialect.readInstant(rs, "created_at")));
              }
            }
          }
          out.sort(java.util.Comparator.comparing(Payout::partner));
          return List.copyOf(out);
        });
  }
}
