package dev.billingsdk.jdbc;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.LedgerWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A batch of ledger writes as one PostgreSQL statement, set-based: every account the batch writes
 * is updated once (its version checked against the first write's, moved by the number of its
 * writes), and that update drives the inserts and updates of all its writes, through arrays. Per
 * account it is all or nothing: an account not at the expected version (or refused by its unit,
 * overdraft policy or sequence order) gets none of its writes, the others go in; the caller sends
 * the writes of the accounts left out to the batch path, which answers each exactly. If a part
 * falls short for an account that was updated (a key already used, a grant or reservation that is
 * not the account's, a grant out of bounds at any point of the account's chain), the statement
 * fails on purpose and PostgreSQL undoes all of it; the caller then sends the whole batch to the
 * batch path.
 *
 * <p>It takes only batches whose shape it checks exactly (see {@link #plan}): otherwise the caller
 * uses the batch path for all of it.
 */
final class PostgresBatchCommit {

  private final UnaryOperator<String> table;

  PostgresBatchCommit(UnaryOperator<String> table) {
    this.table = table;
  }

  private record AccountKey(TenantId tenant, AccountId account) {}

  /** One account's writes of the batch, merged into one account update. */
  private static final class AccountPlan {
    final AccountKey key;
    final Unit unit;
    final long expected;
    int writes;
    long lastVersion;
    long firstSequence;
    long lastSequence;
    long overdraft; // the sum of the writes' moves
    long lowest; // the lowest the running sum reaches (0 at the start)
    long highest; // the highest it reaches
    @Nullable AlertState alert;

    AccountPlan(AccountKey key, Unit unit, LedgerWrite first) {
      this.key = key;
      this.unit = unit;
      this.expected = first.expectedVersion();
      this.lastVersion = first.expectedVersion() - 1;
      this.firstSequence = first.transaction().sequence();
      this.lastSequence = first.transaction().sequence() - 1;
    }
  }

  /** One existing grant's moves across its account's writes. */
  private static final class GrantPlan {
    final AccountKey account;
    final String id;
    long delta;
    long lowest;
    long highest;
    boolean voids;

    GrantPlan(AccountKey account, String id) {
      this.account = account;
      this.id = id;
    }
  }

  /** The batch taken apart, or null when its shape is not one this statement checks exactly. */
  static final class Plan {
    final Map<AccountKey, AccountPlan> accounts = new LinkedHashMap<>();
    final Map<GrantId, GrantPlan> grants = new LinkedHashMap<>();
    final Map<GrantId, Long> fresh = new LinkedHashMap<>(); // remaining of grants made here
    final Map<GrantId, Long> amounts = new LinkedHashMap<>(); // and their amounts
  }

  static @Nullable Plan plan(List<LedgerWrite> writes) {
    Plan plan = new Plan();
    Set<List<Object>> keys = new HashSet<>();
    for (LedgerWrite w : writes) {
      LedgerTransaction t = w.transaction();
      if (!w.resolvedReservations().isEmpty()
          || !PostgresLedgerCommit.takes(w)
          || !keys.add(List.of(t.tenant(), t.idempotencyKey()))) {
        return null;
      }
      Unit unit = PostgresLedgerCommit.unitOf(w);
      if (unit == null) {
        return null;
      }
      AccountKey key = new AccountKey(t.tenant(), t.account());
      AccountPlan a = plan.accounts.computeIfAbsent(key, k -> new AccountPlan(k, unit, w));
      // One chain per account: consecutive versions, increasing numbers, one unit.
      if (!a.unit.equals(unit)
          || w.expectedVersion() != a.lastVersion + 1
          || t.sequence() <= a.lastSequence) {
        return null;
      }
      a.writes++;
      a.lastVersion = w.expectedVersion();
      a.lastSequence = t.sequence();
      a.overdraft = Math.addExact(a.overdraft, w.overdraftDelta());
      a.lowest = Math.min(a.lowest, a.overdraft);
      a.highest = Math.max(a.highest, a.overdraft);
      if (w.alert().isPresent()) {
        a.alert = w.alert().get();
      }
      for (Grant g : w.newGrants()) {
        if (plan.fresh.containsKey(g.id()) || plan.grants.containsKey(g.id())) {
          return null;
        }
        plan.fresh.put(g.id(), 0L);
        plan.amounts.put(g.id(), g.amount().minor());
      }
      for (Map.Entry<GrantId, Long> d : w.grantDeltas().entrySet()) {
        Long made = plan.fresh.get(d.getKey());
        if (made != null) {
          // Made in this batch: its whole life here is known, so bounds are checked now.
          long remaining = Math.addExact(made, d.getValue());
          if (remaining < 0 || remaining > plan.amounts.getOrDefault(d.getKey(), 0L)) {
            return null;
          }
          plan.fresh.put(d.getKey(), remaining);
          continue;
        }
        GrantPlan g = plan.grants.computeIfAbsent(d.getKey(), id -> new GrantPlan(key, id.value()));
        if (!g.account.equals(key)) {
          return null;
        }
        g.delta = Math.addExact(g.delta, d.getValue());
        g.lowest = Math.min(g.lowest, g.delta);
        g.highest = Math.max(g.highest, g.delta);
      }
      for (GrantId v : w.voidedGrants()) {
        if (plan.fresh.containsKey(v)) {
          return null; // a grant made and voided in one batch: the batch path
        }
        GrantPlan g = plan.grants.computeIfAbsent(v, id -> new GrantPlan(key, id.value()));
        if (!g.account.equals(key)) {
          return null;
        }
        g.voids = true;
      }
    }
    return plan;
  }

  /**
   * Applies the writes of {@code plan} on {@code c} (auto-commit: the statement is its own
   * transaction).
   *
   * @return the accounts whose writes went in, or empty if the statement was undone (a part fell
   *     short): then none did
   */
  Optional<Set<List<Object>>> apply(Connection c, List<LedgerWrite> writes, Plan plan)
      throws SQLException {
    Statement q = new Statement(writes, plan);
    try (PreparedStatement s = c.prepareStatement(q.sql())) {
      q.bind(c, s);
      Set<List<Object>> applied = new HashSet<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String tenant = rs.getString("tenant");
          if (tenant != null) {
            applied.add(List.of(TenantId.of(tenant), AccountId.of(rs.getString("account_id"))));
          }
        }
      }
      return Optional.of(applied);
    } catch (SQLException e) {
      if (PostgresLedgerCommit.refusal(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Whether {@code write}'s account is among {@code applied}. */
  static boolean appliedTo(Set<List<Object>> applied, LedgerWrite write) {
    return applied.contains(List.of(write.transaction().tenant(), write.transaction().account()));
  }

  /** The statement for one batch: its text and its arrays. */
  private final class Statement {
    final List<LedgerWrite> writes;
    final Plan plan;
    final List<Grant> fresh = new ArrayList<>();
    final List<Reservation> opened = new ArrayList<>();
    final List<Object[]> postings = new ArrayList<>(); // tenant, txn, position, ledger, grant, amt
    final List<Object[]> events = new ArrayList<>(); // tenant, txn, id, type, payload

    Statement(List<LedgerWrite> writes, Plan plan) {
      this.writes = writes;
      this.plan = plan;
      for (LedgerWrite w : writes) {
        LedgerTransaction t = w.transaction();
        fresh.addAll(w.newGrants());
        opened.addAll(w.newReservations());
        List<Posting> ps = t.postings();
        for (int k = 0; k < ps.size(); k++) {
          Posting p = ps.get(k);
          postings.add(
              new Object[] {
                t.tenant().value(),
                t.id().value(),
                k,
                p.account().kind().name(),
                p.account().isGrant() ? p.account().grantId() : null,
                p.amount().minor()
              });
        }
        for (BillingEvent e : w.events()) {
          events.add(
              new Object[] {
                e.tenant().value(),
                t.id().value(),
                e.id(),
                e.getClass().getSimpleName(),
                JsonCodec.event(e)
              });
        }
      }
    }

    String sql() {
      StringBuilder q = new StringBuilder(4_096);
      q.append("WITH d AS (SELECT * FROM unnest(CAST(? AS varchar[]), CAST(? AS varchar[]),")
          .append(" CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]),")
          .append(" CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]),")
          .append(" CAST(? AS bigint[]), CAST(? AS varchar[]), CAST(? AS integer[]),")
          .append(" CAST(? AS boolean[]), CAST(? AS boolean[]), CAST(? AS bigint[]),")
          .append(" CAST(? AS bigint[]), CAST(? AS boolean[]))")
          .append(" AS d(tenant, account_id, expected, writes, first_seq, last_seq, overdraft,")
          .append(" lowest, highest, unit_code, unit_scale, unit_currency, alert_set,")
          .append(" alert_threshold, alert_rearm_at, alert_below)),")
          // The accounts locked first, one at a time in (tenant, account) order, as every
          // writer locks them: two batches over the same accounts never wait on each other in a
          // cycle.
          .append(" locked AS (SELECT x.tenant, x.account_id FROM ")
          .append(table.apply("accounts"))
          .append(" AS x JOIN d ON x.tenant = d.tenant AND x.account_id = d.account_id")
          .append(" ORDER BY x.tenant, x.account_id FOR UPDATE OF x),")
          .append(" a AS (UPDATE ")
          .append(table.apply("accounts"))
          .append(
              " AS x SET version = x.version + d.writes, overdraft = x.overdraft + d.overdraft,")
          .append(" last_sequence = d.last_seq,")
          .append(" alert_threshold = CASE WHEN d.alert_set THEN d.alert_threshold")
          .append(" ELSE x.alert_threshold END,")
          .append(" alert_rearm_at = CASE WHEN d.alert_set THEN d.alert_rearm_at")
          .append(" ELSE x.alert_rearm_at END,")
          .append(" alert_below = CASE WHEN d.alert_set THEN d.alert_below ELSE x.alert_below END")
          .append(" FROM d JOIN locked l ON l.tenant = d.tenant AND l.account_id = d.account_id")
          .append(" WHERE x.tenant = d.tenant AND x.account_id = d.account_id")
          .append(" AND x.version = d.expected AND x.last_sequence < d.first_seq")
          .append(" AND x.unit_code = d.unit_code AND x.unit_scale = d.unit_scale")
          .append(" AND x.unit_currency = d.unit_currency")
          .append(" AND x.overdraft + d.highest <= 0 AND x.overdraft + d.lowest >= CASE WHEN")
          .append(" x.overdraft_policy = 'LIMIT' THEN -x.overdraft_limit ELSE 0 END")
          .append(" RETURNING x.tenant, x.account_id),")
          .append(" w AS (SELECT * FROM unnest(")
          .append(arrays(15))
          .append(") AS w(tenant, transaction_id, account_id, type, idempotency_key, fingerprint,")
          .append(" actor, actor_roles, reason, recorded_at, effective_at, refs, corrects,")
          .append(" sequence, invoice)),")
          .append(" tx AS (INSERT INTO ")
          .append(table.apply("transactions"))
          .append(
              " ("
                  + StoreRows.TRANSACTION_COLUMNS
                  + ")"
                  + " SELECT w.tenant, w.transaction_id, w.account_id, w.type, w.idempotency_key,"
                  + " w.fingerprint, w.actor, w.actor_roles, w.reason,"
                  + " CAST(w.recorded_at AS timestamptz), CAST(w.effective_at AS timestamptz),"
                  + " CAST(w.refs AS jsonb), w.corrects, CAST(w.sequence AS bigint), w.invoice"
                  + " FROM w JOIN a"
                  + " ON a.tenant ="
                  + " w.tenant AND a.account_id = w.account_id ORDER BY w.tenant,"
                  + " w.idempotency_key ON CONFLICT (tenant, idempotency_key) DO NOTHING"
                  + " RETURNING tenant, transaction_id)");
      boolean grants = !plan.grants.isEmpty();
      if (grants) {
        q.append(", g AS (UPDATE ")
            .append(table.apply("grants"))
            .append(
                " AS x SET remaining = x.remaining + m.delta, live = x.remaining + m.delta > 0,"
                    + " voided = x.voided OR m.voids FROM unnest(CAST(? AS varchar[]),"
                    + " CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS bigint[]),"
                    + " CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS boolean[]))"
                    + " AS m(tenant, account_id, grant_id, delta, lowest, highest, voids) JOIN a"
                    + " ON a.tenant = m.tenant AND a.account_id = m.account_id"
                    + " WHERE x.tenant = m.tenant AND x.account_id = m.account_id"
                    + " AND x.grant_id = m.grant_id AND x.remaining + m.lowest >= 0"
                    + " AND x.remaining + m.highest <= x.amount RETURNING 1 AS one)");
      }
      if (!fresh.isEmpty()) {
        q.append(", ng AS (INSERT INTO ")
            .append(table.apply("grants"))
            .append(
                " ("
                    + StoreRows.GRANT_COLUMNS
                    + ")"
                    + " SELECT n.tenant, n.id, n.account_id, n.name, n.category,"
                    + " CAST(n.priority AS integer), CAST(n.amount AS bigint),"
                    + " CAST(n.effective_from AS timestamptz),"
                    + " CAST(n.expires_at AS timestamptz), CAST(n.scope AS jsonb),"
                    + " CAST(n.cost_basis AS jsonb), CAST(n.metadata AS jsonb), n.created_by,"
                    + " n.created_by_roles, CAST(n.created_at AS timestamptz),"
                    + " CAST(n.sequence AS bigint), CAST(n.remaining AS bigint), FALSE,"
                    + " CAST(n.remaining AS bigint) > 0 FROM unnest(")
            .append(arrays(17))
            .append(
                ") AS n(tenant, account_id, id, name, category, priority, amount, effective_from,"
                    + " expires_at, scope, cost_basis, metadata, created_by, created_by_roles,"
                    + " created_at, sequence, remaining) JOIN a ON a.tenant = n.tenant"
                    + " AND a.account_id = n.account_id RETURNING 1 AS one)");
      }
      if (!postings.isEmpty()) {
        q.append(", p AS (INSERT INTO ")
            .append(table.apply("postings"))
            .append(
                " ("
                    + StoreRows.POSTING_COLUMNS
                    + ")"
                    + " SELECT p.tenant, p.transaction_id, p.position, p.ledger_account,"
                    + " p.grant_id, p.amount FROM unnest(CAST(? AS varchar[]),"
                    + " CAST(? AS varchar[]), CAST(? AS integer[]), CAST(? AS varchar[]),"
                    + " CAST(? AS varchar[]), CAST(? AS bigint[])) AS p(tenant, transaction_id,"
                    + " position, ledger_account, grant_id, amount) JOIN tx ON tx.tenant ="
                    + " p.tenant AND tx.transaction_id = p.transaction_id RETURNING 1 AS one)");
      }
      if (!opened.isEmpty()) {
        q.append(", nr AS (INSERT INTO ")
            .append(table.apply("reservations"))
            .append(
                " ("
                    + StoreRows.RESERVATION_COLUMNS
                    + ")"
                    + " SELECT r.tenant, r.id, r.account_id, r.kind, r.item_code,"
                    + " CAST(r.held AS bigint), r.hold_transaction,"
                    + " CAST(r.created_at AS timestamptz), CAST(r.expires_at AS timestamptz),"
                    + " 'ACTIVE', NULL, CAST(r.sequence AS bigint) FROM unnest(")
            .append(arrays(10))
            .append(
                ") AS r(tenant, account_id, id, kind, item_code, held, hold_transaction,"
                    + " created_at, expires_at, sequence) JOIN a ON a.tenant = r.tenant"
                    + " AND a.account_id = r.account_id RETURNING 1 AS one)");
      }
      if (!events.isEmpty()) {
        q.append(", o AS (INSERT INTO ")
            .append(table.apply("outbox"))
            .append(
                " (tenant, event_id, event_type, payload) SELECT e.tenant, e.event_id,"
                    + " e.event_type, CAST(e.payload AS jsonb) FROM unnest(CAST(? AS varchar[]),"
                    + " CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS varchar[]),"
                    + " CAST(? AS text[])) WITH ORDINALITY AS e(tenant, transaction_id, event_id,"
                    + " event_type, payload, n) JOIN tx ON tx.tenant = e.tenant"
                    + " AND tx.transaction_id = e.transaction_id ORDER BY e.n RETURNING 1 AS one)");
      }
      // The guard: every write of an updated account went in, every grant of one moved.
      q.append(", guard AS (SELECT CAST(CASE WHEN (SELECT count(*) FROM tx) = (SELECT count(*)")
          .append(" FROM w JOIN a ON a.tenant = w.tenant AND a.account_id = w.account_id)");
      if (grants) {
        q.append(" AND (SELECT count(*) FROM g) = (SELECT count(*) FROM unnest(")
            .append("CAST(? AS varchar[]), CAST(? AS varchar[])) AS m(tenant, account_id)")
            .append(" JOIN a ON a.tenant = m.tenant AND a.account_id = m.account_id)");
      }
      q.append(" THEN '0' ELSE '")
          .append(PostgresLedgerCommit.SHORT)
          .append("' || (SELECT count(*) FROM tx) END AS integer) AS ok)")
          .append(" SELECT guard.ok, a.tenant, a.account_id FROM guard LEFT JOIN a ON TRUE");
      return q.toString();
    }

    private String arrays(int n) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        b.append(i == 0 ? "" : ", ").append("CAST(? AS text[])");
      }
      return b.toString();
    }

    void bind(Connection c, PreparedStatement s) throws SQLException {
      int i = 0;
      // d and bounds
      // In the order every writer locks accounts (tenant, then account id).
      List<AccountPlan> accounts = new ArrayList<>(plan.accounts.values());
      accounts.sort(
          java.util.Comparator.comparing((AccountPlan a) -> a.key.tenant().value())
              .thenComparing(a -> a.key.account().value()));
      int n = accounts.size();
      Object[][] d = new Object[16][n];
      for (int k = 0; k < n; k++) {
        AccountPlan a = accounts.get(k);
        d[0][k] = a.key.tenant().value();
        d[1][k] = a.key.account().value();
        d[2][k] = a.expected;
        d[3][k] = (long) a.writes;
        d[4][k] = a.firstSequence;
        d[5][k] = a.lastSequence;
        d[6][k] = a.overdraft;
        d[7][k] = a.lowest;
        d[8][k] = a.highest;
        d[9][k] = a.unit.code();
        d[10][k] = a.unit.scale();
        d[11][k] = a.unit instanceof CurrencyUnit;
        d[12][k] = a.alert != null;
        d[13][k] = a.alert == null ? null : a.alert.alert().threshold().minor();
        d[14][k] = a.alert == null ? null : a.alert.alert().rearmAt().minor();
        d[15][k] = a.alert == null ? null : a.alert.below();
      }
      String[] dTypes = {
        "varchar", "varchar", "int8", "int8", "int8", "int8", "int8", "int8", "int8", "varchar",
        "int4", "bool", "bool", "int8", "int8", "bool"
      };
      for (int col = 0; col < d.length; col++) {
        s.setArray(++i, c.createArrayOf(dTypes[col], d[col]));
      }
      // w: the transactions
      Object[][] w = new Object[15][writes.size()];
      for (int k = 0; k < writes.size(); k++) {
        LedgerTransaction t = writes.get(k).transaction();
        w[0][k] = t.tenant().value();
        w[1][k] = t.id().value();
        w[2][k] = t.account().value();
        w[3][k] = t.type().name();
        w[4][k] = t.idempotencyKey().value();
        w[5][k] = t.fingerprint();
        w[6][k] = t.actor().id();
        w[7][k] = StoredActors.roles(t.actor());
        w[8][k] = t.reason();
        w[9][k] = PostgresLedgerCommit.text(t.recordedAt());
        w[10][k] = PostgresLedgerCommit.text(t.effectiveAt());
        w[11][k] = JsonCodec.metadata(t.references());
        w[12][k] = t.corrects().map(TransactionId::value).orElse(null);
        w[13][k] = Long.toString(t.sequence());
        w[14][k] = StoreRows.invoiceOf(t);
      }
      for (Object[] col : w) {
        s.setArray(++i, c.createArrayOf("text", col));
      }
      if (!plan.grants.isEmpty()) {
        List<GrantPlan> gs = new ArrayList<>(plan.grants.values());
        Object[][] g = new Object[7][gs.size()];
        for (int k = 0; k < gs.size(); k++) {
          GrantPlan p = gs.get(k);
          g[0][k] = p.account.tenant().value();
          g[1][k] = p.account.account().value();
          g[2][k] = p.id;
          g[3][k] = p.delta;
          g[4][k] = p.lowest;
          g[5][k] = p.highest;
          g[6][k] = p.voids;
        }
        String[] types = {"varchar", "varchar", "varchar", "int8", "int8", "int8", "bool"};
        for (int col = 0; col < g.length; col++) {
          s.setArray(++i, c.createArrayOf(types[col], g[col]));
        }
      }
      if (!fresh.isEmpty()) {
        Object[][] f = new Object[17][fresh.size()];
        for (int k = 0; k < fresh.size(); k++) {
          Grant g = fresh.get(k);
          f[0][k] = g.tenant().value();
          f[1][k] = g.account().value();
          f[2][k] = g.id().value();
          f[3][k] = g.name();
          f[4][k] = g.category().code();
          f[5][k] = Integer.toString(g.priority());
          f[6][k] = Long.toString(g.amount().minor());
          f[7][k] = PostgresLedgerCommit.text(g.effectiveFrom());
          f[8][k] = g.expiresAt().map(PostgresLedgerCommit::text).orElse(null);
          f[9][k] = JsonCodec.scope(g.scope());
          f[10][k] = JsonCodec.costBasis(g.costBasis());
          f[11][k] = JsonCodec.metadata(g.metadata());
          f[12][k] = g.createdBy().id();
          f[13][k] = StoredActors.roles(g.createdBy());
          f[14][k] = PostgresLedgerCommit.text(g.createdAt());
          f[15][k] = Long.toString(g.sequence());
          f[16][k] = Long.toString(plan.fresh.getOrDefault(g.id(), 0L));
        }
        for (Object[] col : f) {
          s.setArray(++i, c.createArrayOf("text", col));
        }
      }
      if (!postings.isEmpty()) {
        int m = postings.size();
        Object[][] p = new Object[6][m];
        for (int k = 0; k < m; k++) {
          for (int col = 0; col < 6; col++) {
            p[col][k] = postings.get(k)[col];
          }
        }
        String[] types = {"varchar", "varchar", "int4", "varchar", "varchar", "int8"};
        for (int col = 0; col < 6; col++) {
          s.setArray(++i, c.createArrayOf(types[col], p[col]));
        }
      }
      if (!opened.isEmpty()) {
        Object[][] r = new Object[10][opened.size()];
        for (int k = 0; k < opened.size(); k++) {
          Reservation x = opened.get(k);
          r[0][k] = x.tenant().value();
          r[1][k] = x.account().value();
          r[2][k] = x.id().value();
          r[3][k] = x.kind().name();
          r[4][k] = x.itemCode();
          r[5][k] = Long.toString(x.held().minor());
          r[6][k] = x.hold().value();
          r[7][k] = PostgresLedgerCommit.text(x.createdAt());
          r[8][k] = PostgresLedgerCommit.text(x.expiresAt());
          r[9][k] = Long.toString(x.sequence());
        }
        for (Object[] col : r) {
          s.setArray(++i, c.createArrayOf("text", col));
        }
      }
      if (!events.isEmpty()) {
        int m = events.size();
        Object[][] e = new Object[5][m];
        for (int k = 0; k < m; k++) {
          for (int col = 0; col < 5; col++) {
            e[col][k] = events.get(k)[col];
          }
        }
        String[] types = {"varchar", "varchar", "varchar", "varchar", "text"};
        for (int col = 0; col < 5; col++) {
          s.setArray(++i, c.createArrayOf(types[col], e[col]));
        }
      }
      if (!plan.grants.isEmpty()) {
        List<GrantPlan> gs = new ArrayList<>(plan.grants.values());
        Object[] tenants = new Object[gs.size()];
        Object[] accountIds = new Object[gs.size()];
        for (int k = 0; k < gs.size(); k++) {
          tenants[k] = gs.get(k).account.tenant().value();
          accountIds[k] = gs.get(k).account.account().value();
        }
        s.setArray(++i, c.createArrayOf("varchar", tenants));
        s.setArray(++i, c.createArrayOf("varchar", accountIds));
      }
    }
  }
}
