package dev.billingsdk.jdbc;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Unit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads ledger transactions with their postings: one query for the rows, then their postings in
 * chunks. Shared by the stores that read the ledger ({@link JdbcBillingStore}, {@link
 * JdbcStatementStore}).
 */
final class TransactionReader {

  static final int IN_CHUNK = 500;

  private static final String COLUMNS =
      "x.tenant, x.transaction_id, x.account_id, x.type, x.idempotency_key, x.fingerprint,"
          + " x.actor, x.actor_roles, x.reason, x.recorded_at, x.effective_at, x.refs,"
          + " x.sequence";

  private final Dialect dialect;
  private final String prefix;

  TransactionReader(Dialect dialect, String prefix) {
    this.dialect = dialect;
    this.prefix = prefix;
  }

  /** Binds a statement's parameters. */
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement s) throws SQLException;
  }

  private String t(String table) {
    return prefix + table;
  }

  /** A transaction row without its postings yet. */
  record TransactionHead(
      TransactionId id,
      TenantId tenant,
      AccountId account,
      TransactionType type,
      IdempotencyKey key,
      String fingerprint,
      Actor actor,
      String reason,
      Instant recordedAt,
      Instant effectiveAt,
      Map<String, String> references,
      long sequence,
      Unit unit) {

    LedgerTransaction with(List<Posting> postings) {
      return new LedgerTransaction(
          id,
          tenant,
          account,
          type,
          key,
          fingerprint,
          actor,
          reason,
          recordedAt,
          effectiveAt,
          postings,
          references,
          sequence);
    }
  }

  private TransactionHead head(ResultSet rs) throws SQLException {
    return new TransactionHead(
        TransactionId.of(rs.getString("transaction_id")),
        TenantId.of(rs.getString("tenant")),
        AccountId.of(rs.getString("account_id")),
        TransactionType.valueOf(rs.getString("type")),
        IdempotencyKey.of(rs.getString("idempotency_key")),
        rs.getString("fingerprint"),
        StoredActors.actor(rs.getString("actor"), rs.getString("actor_roles")),
        rs.getString("reason"),
        dialect.readInstant(rs, "recorded_at"),
        dialect.readInstant(rs, "effective_at"),
        JsonCodec.metadata(rs.getString("refs")),
        rs.getLong("sequence"),
        unit(rs));
  }

  /** SELECT of transaction columns joined to the account (for the unit), ending in a space. */
  String select() {
    return "SELECT "
        + COLUMNS
        + ", a.unit_code, a.unit_scale, a.unit_currency FROM "
        + t("transactions")
        + " x JOIN "
        + t("accounts")
        + " a ON a.tenant = x.tenant AND a.account_id = x.account_id ";
  }

  /** Runs a transaction query and attaches every transaction's postings, keeping the row order. */
  List<LedgerTransaction> read(Connection c, String sql, Binder binder) throws SQLException {
    List<TransactionHead> heads;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      try (ResultSet rs = s.executeQuery()) {
        heads = heads(rs);
      }
    }
    if (heads.isEmpty()) {
      return List.of();
    }
    Map<TransactionId, Map<Integer, Posting>> postings = new HashMap<>();
    TenantId tenant = heads.get(0).tenant();
    Map<TransactionId, Unit> units = new HashMap<>();
    heads.forEach(h -> units.put(h.id(), h.unit()));
    for (List<TransactionHead> chunk : chunks(heads)) {
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT transaction_id, position, ledger_account, grant_id, amount FROM "
                  + t("postings")
                  + " WHERE "
                  + dialect.tenantIdIn("tenant", "transaction_id", chunk.size()))) {
        dialect.bindTenantIds(
            s, 1, tenant.value(), chunk.stream().map(h -> h.id().value()).toList());
        try (ResultSet rs = s.executeQuery()) {
          collect(rs, units, postings, false);
        }
      }
    }
    return assembled(heads, postings);
  }

  /** The transaction rows of {@code rs} (selected by {@link #select}), without postings yet. */
  List<TransactionHead> heads(ResultSet rs) throws SQLException {
    List<TransactionHead> heads = new ArrayList<>();
    while (rs.next()) {
      heads.add(head(rs));
    }
    return heads;
  }

  /**
   * A SELECT of the postings of the tenant's transaction under an idempotency key, its three
   * parameters the tenant, the tenant again and the key: the second half of a key probe sent with
   * other statements.
   */
  String postingsByKey() {
    // A scalar subquery: one probe of the key's unique index, then the postings' primary key;
    // a join here lets a generic plan scan every posting.
    return "SELECT p.transaction_id, p.position, p.ledger_account, p.grant_id, p.amount FROM "
        + t("postings")
        + " p WHERE p.tenant = ? AND p.transaction_id = (SELECT x.transaction_id FROM "
        + t("transactions")
        + " x WHERE x.tenant = ? AND x.idempotency_key = ?)";
  }

  /**
   * The start of a SELECT of the postings of the tenant's transactions under several idempotency
   * keys; the caller ends it with the set of (tenant, key) pairs, e.g. {@code IN (SELECT * FROM
   * unnest(..))}.
   */
  String postingsByKeys() {
    return "SELECT p.transaction_id, p.position, p.ledger_account, p.grant_id, p.amount FROM "
        + t("postings")
        + " p WHERE (p.tenant, p.transaction_id) IN (SELECT x.tenant, x.transaction_id FROM "
        + t("transactions")
        + " x WHERE (x.tenant, x.idempotency_key)";
  }

  /**
   * {@code heads} with their postings, read from {@code rs} (rows of any order) by a later
   * statement of the same pipelined read. Each statement of such a read has its own snapshot, so
   * the postings may include those of a transaction committed after the heads were read; they are
   * left out, as that transaction is: the write that follows meets it on the idempotency key.
   */
  List<LedgerTransaction> withPostings(List<TransactionHead> heads, ResultSet rs)
      throws SQLException {
    Map<TransactionId, Unit> units = new HashMap<>();
    heads.forEach(h -> units.put(h.id(), h.unit()));
    Map<TransactionId, Map<Integer, Posting>> postings = new HashMap<>();
    collect(rs, units, postings, true);
    return assembled(heads, postings);
  }

  private static List<LedgerTransaction> assembled(
      List<TransactionHead> heads, Map<TransactionId, Map<Integer, Posting>> postings) {
    List<LedgerTransaction> result = new ArrayList<>(heads.size());
    for (TransactionHead h : heads) {
      result.add(h.with(List.copyOf(postings.getOrDefault(h.id(), Map.of()).values())));
    }
    return result;
  }

  /**
   * Adds the postings rows of {@code rs} to {@code postings}, by transaction and position; rows of
   * a transaction without a head are skipped when {@code headless} allows them, else refused.
   */
  private static void collect(
      ResultSet rs,
      Map<TransactionId, Unit> units,
      Map<TransactionId, Map<Integer, Posting>> postings,
      boolean headless)
      throws SQLException {
    while (rs.next()) {
      TransactionId id = TransactionId.of(rs.getString("transaction_id"));
      if (headless && !units.containsKey(id)) {
        continue;
      }
      LedgerAccount.Kind kind = LedgerAccount.Kind.valueOf(rs.getString("ledger_account"));
      String grant = rs.getString("grant_id");
      LedgerAccount account =
          kind == LedgerAccount.Kind.GRANT
              ? LedgerAccount.grant(GrantId.of(grant))
              : LedgerAccount.counter(kind);
      postings
          .computeIfAbsent(id, k -> new TreeMap<>())
          .put(
              rs.getInt("position"),
              Posting.of(account, Amount.ofMinor(unitOf(units, id), rs.getLong("amount"))));
    }
  }

  /** The unit of a transaction whose postings are being read: the heads were read first. */
  private static Unit unitOf(Map<TransactionId, Unit> units, TransactionId id) {
    Unit unit = units.get(id);
    if (unit == null) {
      throw new IllegalStateException("postings of transaction " + id + " without its head");
    }
    return unit;
  }

  static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  static <T> List<List<T>> chunks(List<T> all) {
    List<List<T>> chunks = new ArrayList<>();
    for (int i = 0; i < all.size(); i += IN_CHUNK) {
      chunks.add(all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
    }
    return chunks;
  }

  static Unit unit(ResultSet rs) throws SQLException {
    String code = rs.getString("unit_code");
    return rs.getBoolean("unit_currency")
        ? CurrencyUnit.of(code)
        : CreditUnit.of(code, rs.getInt("unit_scale"));
  }
}
