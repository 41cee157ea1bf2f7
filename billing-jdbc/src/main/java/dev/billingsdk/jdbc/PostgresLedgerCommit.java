package dev.billingsdk.jdbc;

import dev.billingsdk.GrantId;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationState;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One ledger write as one PostgreSQL statement: a data-modifying statement whose first part, the
 * account update with the version check (and the overdraft policy, the unit and the sequence
 * order), drives every other part. The transaction insert is the idempotency key's claim; grant
 * remainders move through arrays; postings, grants, reservations and outbox rows go in the same
 * statement. One round trip, no lock taken before the write, no key looked up again.
 *
 * <p>It only ever applies a write that the general path would apply. When the account update
 * matches no row (another writer moved the account on, or a rule of the account refuses the write),
 * nothing is written and the caller hears {@link Outcome#NOT_APPLIED}. When the account update
 * matched but a later part fell short (the key already used on another account, a grant or
 * reservation that is not the account's, a grant driven below zero), the statement's last part
 * makes it fail, so PostgreSQL undoes all of it, and the caller hears {@link Outcome#REFUSED}. In
 * both cases the caller hands the write to the general path, which locks, reads and answers exactly
 * why (a version conflict, a duplicate, or the rule that refuses it).
 */
final class PostgresLedgerCommit {

  /** What became of the write. */
  enum Outcome {
    /** Applied, all of it. */
    APPLIED,
    /** Nothing written: the account was not at the expected version, or a rule refused it. */
    NOT_APPLIED,
    /** Nothing written: a part fell short and the statement was undone. */
    REFUSED,
    /**
     * Nothing written: the statement saw the account already past the expected version, a version
     * conflict for certain ({@link Result#version} is the version it saw).
     */
    MOVED_ON
  }

  /** What became of the write, and the account's version when it moved on. */
  record Result(Outcome outcome, long version) {}

  /** The text the statement's guard casts to a number when a part fell short. */
  static final String SHORT = "ledger write fell short:";

  private final UnaryOperator<String> table;

  /**
   * @param table the physical name of each of the adapter's tables (the prefix applied)
   */
  PostgresLedgerCommit(UnaryOperator<String> table) {
    this.table = table;
  }

  /**
   * Whether this path can take the write: every posting and new grant in one unit (the account's
   * unit is then checked by the statement itself), and, when it resolves no reservation, RESERVED
   * moving by exactly what it opens (with resolutions, the statement checks the stored holds).
   */
  static boolean takes(LedgerWrite w) {
    if (unitOf(w) == null) {
      return false;
    }
    if (w.resolvedReservations().isEmpty()) {
      long opened = 0;
      for (Reservation r : w.newReservations()) {
        opened = Math.addExact(opened, r.held().minor());
      }
      return opened == w.reservedDelta();
    }
    return true;
  }

  static @org.jspecify.annotations.Nullable Unit unitOf(LedgerWrite w) {
    Unit unit = null;
    for (Posting p : w.transaction().postings()) {
      Unit u = p.amount().unit();
      if (unit == null) {
        unit = u;
      } else if (!unit.equals(u)) {
        return null;
      }
    }
    for (Grant g : w.newGrants()) {
      Unit u = g.amount().unit();
      if (unit == null) {
        unit = u;
      } else if (!unit.equals(u)) {
        return null;
      }
    }
    return unit;
  }

  /**
   * Applies {@code w} on {@code c}, which must be in auto-commit mode: the statement is its own
   * transaction.
   */
  Result apply(Connection c, LedgerWrite w) throws SQLException {
    Unit unit = unitOf(w);
    if (unit == null) {
      throw new IllegalArgumentException("write mixes units; see takes()");
    }
    Shape shape = new Shape(w);
    try (PreparedStatement s = c.prepareStatement(shape.sql())) {
      shape.bind(c, s, unit);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        if (rs.getLong("applied") == 1) {
          return new Result(Outcome.APPLIED, w.expectedVersion() + 1);
        }
        // The statement's snapshot is from its start. A version other than the expected one there
        // means another write came first. The expected one with every other rule of the update
        // holding means another write committed while this one waited for the account row (the
        // update then re-checked the newer row and left it): a version conflict too, the account
        // at least one version on. Otherwise a rule refused the write: the batch path tells which.
        long seen = rs.getLong("seen");
        if (rs.wasNull()) {
          return new Result(Outcome.NOT_APPLIED, -1);
        }
        if (seen != w.expectedVersion()) {
          return new Result(Outcome.MOVED_ON, seen);
        }
        return rs.getBoolean("rules_hold")
            ? new Result(Outcome.MOVED_ON, seen + 1)
            : new Result(Outcome.NOT_APPLIED, seen);
      }
    } catch (SQLException e) {
      if (refusal(e)) {
        return new Result(Outcome.REFUSED, -1);
      }
      throw e;
    }
  }

  /**
   * Whether {@code e} is the statement refusing itself or a constraint refusing a part: the general
   * path then finds out which rule, and answers it.
   */
  static boolean refusal(SQLException e) {
    String state = e.getSQLState();
    return "22P02".equals(state) && String.valueOf(e.getMessage()).contains(SHORT)
        || "23505".equals(state) // a grant or reservation id already taken
        || "23514".equals(state) // a grant below zero or above its amount
        || "23503".equals(state); // a row of another account or tenant
  }

  /** The write taken apart into the arrays and counts the statement binds. */
  private final class Shape {
    final LedgerWrite w;
    final LedgerTransaction t;
    // Existing grants the write moves or voids, with the move and whether it voids.
    final List<String> grantIds = new ArrayList<>();
    final List<Long> grantDeltas = new ArrayList<>();
    final List<Boolean> grantVoids = new ArrayList<>();
    final List<Grant> fresh;
    final Map<GrantId, Long> freshRemaining = new HashMap<>();
    final List<Map.Entry<ReservationId, ReservationState>> resolved;
    final long resolvedHeld;

    Shape(LedgerWrite w) {
      this.w = w;
      this.t = w.transaction();
      this.fresh = w.newGrants();
      Set<GrantId> created = new LinkedHashSet<>();
      fresh.forEach(g -> created.add(g.id()));
      Map<GrantId, Long> deltas = w.grantDeltas();
      Map<GrantId, Boolean> existing = new LinkedHashMap<>();
      for (Map.Entry<GrantId, Long> d : deltas.entrySet()) {
        if (created.contains(d.getKey())) {
          freshRemaining.put(d.getKey(), d.getValue());
        } else {
          existing.put(d.getKey(), false);
        }
      }
      for (GrantId v : w.voidedGrants()) {
        if (!created.contains(v)) {
          existing.put(v, true);
        }
      }
      for (Map.Entry<GrantId, Boolean> e : existing.entrySet()) {
        grantIds.add(e.getKey().value());
        grantDeltas.add(deltas.getOrDefault(e.getKey(), 0L));
        grantVoids.add(e.getValue());
      }
      this.resolved = new ArrayList<>(w.resolvedReservations().entrySet());
      long opened = 0;
      for (Reservation r : w.newReservations()) {
        opened = Math.addExact(opened, r.held().minor());
      }
      // What the resolved reservations must hold together for RESERVED to move as posted.
      this.resolvedHeld = Math.subtractExact(opened, w.reservedDelta());
    }

    String sql() {
      StringBuilder q = new StringBuilder(2_048);
      q.append("WITH a AS (UPDATE ")
          .append(table.apply("accounts"))
          .append(" SET version = version + 1, overdraft = overdraft + ?, last_sequence = ?");
      if (w.alert().isPresent()) {
        q.append(", alert_threshold = ?, alert_rearm_at = ?, alert_below = ?");
      }
      q.append(
              " WHERE tenant = ? AND account_id = ? AND version = ? AND last_sequence < ?"
                  + " AND unit_code = ? AND unit_scale = ? AND unit_currency = ?"
                  + " AND overdraft + ? <= 0 AND overdraft + ? >= CASE WHEN overdraft_policy ="
                  + " 'LIMIT' THEN -overdraft_limit ELSE 0 END RETURNING 1 AS one)")
          .append(", tx AS (INSERT INTO ")
          .append(table.apply("transactions"))
          .append(
              " ("
                  + StoreRows.TRANSACTION_COLUMNS
                  + ")"
                  + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS timestamptz),"
                  + " CAST(? AS timestamptz), CAST(? AS jsonb), ?, ?, ? FROM a"
                  + " ON CONFLICT (tenant, idempotency_key) DO NOTHING RETURNING 1 AS one)");
      if (!grantIds.isEmpty()) {
        q.append(", g AS (UPDATE ")
            .append(table.apply("grants"))
            .append(
                " AS x SET remaining = x.remaining + d.delta, live = x.remaining + d.delta > 0,"
                    + " voided = x.voided OR d.void FROM unnest(CAST(? AS varchar[]),"
                    + " CAST(? AS bigint[]), CAST(? AS boolean[])) AS d(id, delta, void), tx"
                    + " WHERE x.tenant = ? AND x.account_id = ? AND x.grant_id = d.id"
                    + " RETURNING 1 AS one)");
      }
      if (!fresh.isEmpty()) {
        q.append(", ng AS (INSERT INTO ")
            .append(table.apply("grants"))
            .append(
                " ("
                    + StoreRows.GRANT_COLUMNS
                    + ")"
                    + " SELECT ?, n.id, ?, n.name, n.category, n.priority, n.amount,"
                    + " n.effective_from, n.expires_at, CAST(n.scope AS jsonb),"
                    + " CAST(n.cost_basis AS jsonb), CAST(n.metadata AS jsonb), n.created_by,"
                    + " n.created_by_roles, n.created_at, n.sequence, n.remaining, n.voided,"
                    + " n.remaining > 0 FROM unnest(CAST(? AS varchar[]), CAST(? AS varchar[]),"
                    + " CAST(? AS varchar[]), CAST(? AS integer[]), CAST(? AS bigint[]),"
                    + " CAST(? AS timestamptz[]), CAST(? AS timestamptz[]), CAST(? AS text[]),"
                    + " CAST(? AS text[]), CAST(? AS text[]), CAST(? AS varchar[]),"
                    + " CAST(? AS varchar[]), CAST(? AS timestamptz[]), CAST(? AS bigint[]),"
                    + " CAST(? AS bigint[]), CAST(? AS boolean[])) AS n(id, name, category,"
                    + " priority, amount, effective_from, expires_at, scope, cost_basis, metadata,"
                    + " created_by, created_by_roles, created_at, sequence, remaining, voided),"
                    + " tx RETURNING 1 AS one)");
      }
      if (!t.postings().isEmpty()) {
        q.append(", p AS (INSERT INTO ")
            .append(table.apply("postings"))
            .append(
                " ("
                    + StoreRows.POSTING_COLUMNS
                    + ")"
                    + " SELECT ?, ?, x.position, x.ledger_account, x.grant_id, x.amount"
                    + " FROM unnest(CAST(? AS integer[]), CAST(? AS varchar[]),"
                    + " CAST(? AS varchar[]), CAST(? AS bigint[]))"
                    + " AS x(position, ledger_account, grant_id, amount), tx RETURNING 1 AS one)");
      }
      if (!w.newReservations().isEmpty()) {
        q.append(", nr AS (INSERT INTO ")
            .append(table.apply("reservations"))
            .append(
                " ("
                    + StoreRows.RESERVATION_COLUMNS
                    + ")"
                    + " SELECT ?, r.id, ?, r.kind, r.item_code, r.held, r.hold_transaction,"
                    + " r.created_at, r.expires_at, 'ACTIVE', NULL, r.sequence"
                    + " FROM unnest(CAST(? AS varchar[]), CAST(? AS varchar[]),"
                    + " CAST(? AS varchar[]), CAST(? AS bigint[]), CAST(? AS varchar[]),"
                    + " CAST(? AS timestamptz[]), CAST(? AS timestamptz[]), CAST(? AS bigint[]))"
                    + " AS r(id, kind, item_code, held, hold_transaction, created_at, expires_at,"
                    + " sequence), tx RETURNING 1 AS one)");
      }
      if (!resolved.isEmpty()) {
        q.append(", rr AS (UPDATE ")
            .append(table.apply("reservations"))
            .append(
                " AS x SET state = d.state, resolution = ? FROM unnest(CAST(? AS varchar[]),"
                    + " CAST(? AS varchar[])) AS d(id, state), tx WHERE x.tenant = ?"
                    + " AND x.account_id = ? AND x.reservation_id = d.id AND x.state = 'ACTIVE'"
                    + " RETURNING x.held)");
      }
      if (!w.events().isEmpty()) {
        q.append(", o AS (INSERT INTO ")
            .append(table.apply("outbox"))
            .append(
                " (tenant, event_id, event_type, payload) SELECT ?, e.event_id, e.event_type,"
                    + " CAST(e.payload AS jsonb) FROM unnest(CAST(? AS varchar[]),"
                    + " CAST(? AS varchar[]), CAST(? AS text[])) WITH ORDINALITY"
                    + " AS e(event_id, event_type, payload, n), tx ORDER BY e.n RETURNING 1 AS one)");
      }
      // The guard: with the account updated, every part must have done all of its rows, or the
      // cast fails and PostgreSQL undoes the whole statement.
      q.append(" SELECT (SELECT count(*) FROM a) AS applied, CAST(CASE WHEN (SELECT count(*) FROM")
          .append(" a) = 0 OR ((SELECT count(*) FROM tx) = 1");
      if (!grantIds.isEmpty()) {
        q.append(" AND (SELECT count(*) FROM g) = ").append(grantIds.size());
      }
      if (!resolved.isEmpty()) {
        q.append(" AND (SELECT count(*) FROM rr) = ")
            .append(resolved.size())
            .append(" AND (SELECT sum(held) FROM rr) = ")
            .append(resolvedHeld);
      }
      q.append(") THEN '0' ELSE '")
          .append(SHORT)
          .append("' || (SELECT count(*) FROM tx) END AS integer) AS guard")
          .append(", v.version AS seen, v.rules_hold FROM (SELECT 1) AS one LEFT JOIN (SELECT")
          .append(" version, last_sequence < ? AND unit_code = ? AND unit_scale = ?")
          .append(" AND unit_currency = ? AND overdraft + ? <= 0 AND overdraft + ? >= CASE WHEN")
          .append(" overdraft_policy = 'LIMIT' THEN -overdraft_limit ELSE 0 END AS rules_hold")
          .append(" FROM ")
          .append(table.apply("accounts"))
          .append(" WHERE tenant = ? AND account_id = ?) AS v ON TRUE");
      return q.toString();
    }

    void bind(Connection c, PreparedStatement s, Unit unit) throws SQLException {
      int i = 0;
      String tenant = t.tenant().value();
      String account = t.account().value();
      long overdraftDelta = w.overdraftDelta();
      // a
      s.setLong(++i, overdraftDelta);
      s.setLong(++i, t.sequence());
      if (w.alert().isPresent()) {
        AlertState alert = w.alert().get();
        s.setLong(++i, alert.alert().threshold().minor());
        s.setLong(++i, alert.alert().rearmAt().minor());
        s.setBoolean(++i, alert.below());
      }
      s.setString(++i, tenant);
      s.setString(++i, account);
      s.setLong(++i, w.expectedVersion());
      s.setLong(++i, t.sequence());
      s.setString(++i, unit.code());
      s.setInt(++i, unit.scale());
      s.setBoolean(++i, unit instanceof CurrencyUnit);
      s.setLong(++i, overdraftDelta);
      s.setLong(++i, overdraftDelta);
      // tx
      s.setString(++i, tenant);
      s.setString(++i, t.id().value());
      s.setString(++i, account);
      s.setString(++i, t.type().name());
      s.setString(++i, t.idempotencyKey().value());
      s.setString(++i, t.fingerprint());
      s.setString(++i, t.actor().id());
      s.setString(++i, StoredActors.roles(t.actor()));
      s.setString(++i, t.reason());
      s.setString(++i, text(t.recordedAt()));
      s.setString(++i, text(t.effectiveAt()));
      s.setString(++i, JsonCodec.metadata(t.references()));
      s.setString(++i, t.corrects().map(TransactionId::value).orElse(null));
      s.setLong(++i, t.sequence());
      s.setString(++i, StoreRows.invoiceOf(t));
      if (!grantIds.isEmpty()) {
        s.setArray(++i, c.createArrayOf("varchar", grantIds.toArray()));
        s.setArray(++i, c.createArrayOf("int8", grantDeltas.toArray()));
        s.setArray(++i, c.createArrayOf("bool", grantVoids.toArray()));
        s.setString(++i, tenant);
        s.setString(++i, account);
      }
      if (!fresh.isEmpty()) {
        int n = fresh.size();
        Object[][] cols = new Object[16][n];
        for (int k = 0; k < n; k++) {
          Grant g = fresh.get(k);
          cols[0][k] = g.id().value();
          cols[1][k] = g.name();
          cols[2][k] = g.category().code();
          cols[3][k] = g.priority();
          cols[4][k] = g.amount().minor();
          cols[5][k] = text(g.effectiveFrom());
          cols[6][k] = g.expiresAt().map(PostgresLedgerCommit::text).orElse(null);
          cols[7][k] = JsonCodec.scope(g.scope());
          cols[8][k] = JsonCodec.costBasis(g.costBasis());
          cols[9][k] = JsonCodec.metadata(g.metadata());
          cols[10][k] = g.createdBy().id();
          cols[11][k] = StoredActors.roles(g.createdBy());
          cols[12][k] = text(g.createdAt());
          cols[13][k] = g.sequence();
          cols[14][k] = freshRemaining.getOrDefault(g.id(), 0L);
          cols[15][k] = w.voidedGrants().contains(g.id());
        }
        s.setString(++i, tenant);
        s.setString(++i, account);
        String[] types = {
          "varchar", "varchar", "varchar", "int4", "int8", "text", "text", "text", "text", "text",
          "varchar", "varchar", "text", "int8", "int8", "bool"
        };
        for (int col = 0; col < cols.length; col++) {
          s.setArray(++i, c.createArrayOf(types[col], cols[col]));
        }
      }
      if (!t.postings().isEmpty()) {
        List<Posting> postings = t.postings();
        int n = postings.size();
        Object[] position = new Object[n];
        Object[] ledger = new Object[n];
        Object[] grant = new Object[n];
        Object[] amount = new Object[n];
        for (int k = 0; k < n; k++) {
          Posting p = postings.get(k);
          position[k] = k;
          ledger[k] = p.account().kind().name();
          grant[k] = p.account().isGrant() ? p.account().grantId() : null;
          amount[k] = p.amount().minor();
        }
        s.setString(++i, tenant);
        s.setString(++i, t.id().value());
        s.setArray(++i, c.createArrayOf("int4", position));
        s.setArray(++i, c.createArrayOf("varchar", ledger));
        s.setArray(++i, c.createArrayOf("varchar", grant));
        s.setArray(++i, c.createArrayOf("int8", amount));
      }
      if (!w.newReservations().isEmpty()) {
        List<Reservation> opened = w.newReservations();
        int n = opened.size();
        Object[][] cols = new Object[8][n];
        for (int k = 0; k < n; k++) {
          Reservation r = opened.get(k);
          cols[0][k] = r.id().value();
          cols[1][k] = r.kind().name();
          cols[2][k] = r.itemCode();
          cols[3][k] = r.held().minor();
          cols[4][k] = r.hold().value();
          cols[5][k] = text(r.createdAt());
          cols[6][k] = text(r.expiresAt());
          cols[7][k] = r.sequence();
        }
        s.setString(++i, tenant);
        s.setString(++i, account);
        String[] types = {
          "varchar", "varchar", "varchar", "int8", "varchar", "text", "text", "int8"
        };
        for (int col = 0; col < cols.length; col++) {
          s.setArray(++i, c.createArrayOf(types[col], cols[col]));
        }
      }
      if (!resolved.isEmpty()) {
        Object[] ids = new Object[resolved.size()];
        Object[] states = new Object[resolved.size()];
        for (int k = 0; k < resolved.size(); k++) {
          ids[k] = resolved.get(k).getKey().value();
          states[k] = resolved.get(k).getValue().name();
        }
        s.setString(++i, t.id().value());
        s.setArray(++i, c.createArrayOf("varchar", ids));
        s.setArray(++i, c.createArrayOf("varchar", states));
        s.setString(++i, tenant);
        s.setString(++i, account);
      }
      if (!w.events().isEmpty()) {
        List<BillingEvent> events = w.events();
        Object[] ids = new Object[events.size()];
        Object[] types = new Object[events.size()];
        Object[] payloads = new Object[events.size()];
        for (int k = 0; k < events.size(); k++) {
          BillingEvent e = events.get(k);
          ids[k] = e.id();
          types[k] = e.getClass().getSimpleName();
          payloads[k] = JsonCodec.event(e);
        }
        s.setString(++i, tenant);
        s.setArray(++i, c.createArrayOf("varchar", ids));
        s.setArray(++i, c.createArrayOf("varchar", types));
        s.setArray(++i, c.createArrayOf("text", payloads));
      }
      s.setLong(++i, t.sequence());
      s.setString(++i, unit.code());
      s.setInt(++i, unit.scale());
      s.setBoolean(++i, unit instanceof CurrencyUnit);
      s.setLong(++i, overdraftDelta);
      s.setLong(++i, overdraftDelta);
      s.setString(++i, tenant);
      s.setString(++i, account);
    }
  }

  /** An instant as PostgreSQL reads a timestamptz, at the microseconds every store keeps. */
  static String text(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).toString();
  }
}
