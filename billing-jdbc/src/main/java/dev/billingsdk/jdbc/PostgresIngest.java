package dev.billingsdk.jdbc;

import static dev.billingsdk.jdbc.StoreRows.EVENT_COLUMNS;

import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A usage ingest on PostgreSQL in one round trip: three statements sent together, which run as one
 * implicit transaction (autocommit, one Sync). The first inserts the batch's missing rating
 * cursors; the second locks every cursor of the batch, in one order; the third, with a snapshot
 * taken after those locks (so everything committed under them is seen, as in {@link MeterIngest}'s
 * general path), probes the stored events under the batch's ids (one index lookup per distinct id:
 * a lateral join on the array, which no estimate can turn into a scan), decides each event (new, a
 * duplicate of a stored or an earlier event, or a conflict) and, unless some event conflicts,
 * raises the cursors and inserts the new events numbered from them in batch order. A cursor the
 * first statement created that gets no event (every event of its triple was a duplicate, or the
 * batch conflicts) is deleted again: an ingest commits a cursor only with its first event.
 *
 * <p>The caller decides the outcomes again from the stored events the statement returns, by the
 * same rules; the statement's own count of conflicts must agree.
 */
final class PostgresIngest {

  /**
   * What the statement saw and did.
   *
   * @param stored the events stored under the batch's ids, as the statement's snapshot had them
   * @param conflicts how many events of the batch conflict; when above 0 nothing was written
   * @param sequences each event's sequence by its position in the batch, 0 where it was not
   *     inserted
   */
  record Result(List<StoredUsageEvent> stored, long conflicts, long[] sequences) {}

  private final StoreRows rows;
  private final String sql;

  PostgresIngest(StoreRows rows) {
    this.rows = rows;
    String events = rows.t("usage_events");
    String cursors = rows.t("rating_cursors");
    String keys =
        " unnest(CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS varchar[])) WITH ORDINALITY"
            + " AS k(tenant, account, meter, n)";
    String sameCursor = "r.tenant = k.tenant AND r.account = k.account AND r.meter = k.meter";
    this.sql =
        // 1. The missing cursors, in the batch's cursor order.
        "INSERT INTO "
            + cursors
            + " (tenant, account, meter, version, rated_until, rated_sequence, ingested_sequence,"
            + " state) SELECT k.tenant, k.account, k.meter, 0, k.bound, 0, 0, '' FROM unnest(CAST(?"
            + " AS varchar[]), CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS"
            + " timestamptz[])) WITH ORDINALITY AS k(tenant, account, meter, bound, n) ORDER BY k.n"
            + " ON CONFLICT (tenant, account, meter) DO NOTHING;"
            // 2. Every cursor of the batch locked, in the same order.
            + " SELECT r.ingested_sequence FROM"
            + keys
            + " CROSS JOIN LATERAL (SELECT r.ingested_sequence FROM "
            + cursors
            + " AS r WHERE "
            + sameCursor
            + " FOR UPDATE) AS r ORDER BY k.n;"
            // 3. Probe, decide and write, seeing what was committed under the locks.
            + " WITH i AS (SELECT * FROM unnest(CAST(? AS varchar[]), CAST(? AS varchar[]),"
            + " CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS numeric[]),"
            + " CAST(? AS timestamptz[]), CAST(? AS timestamptz[]), CAST(? AS text[]),"
            + " CAST(? AS text[]), CAST(? AS timestamptz[])) WITH ORDINALITY AS i(tenant, event_id,"
            + " account, meter, quantity, occurred_at, bound, dimensions, fingerprint, received_at,"
            + " n)),"
            + " s AS (SELECT e.* FROM (SELECT DISTINCT tenant, event_id FROM i) AS k CROSS JOIN"
            + " LATERAL (SELECT "
            + EVENT_COLUMNS
            + " FROM "
            + events
            + " AS x WHERE x.tenant = k.tenant AND x.event_id = k.event_id) AS e),"
            // Each event against the stored one, or else the first of its id in the batch.
            + " d AS (SELECT i.*, s.fingerprint AS stored_fingerprint, first_value(i.fingerprint)"
            + " OVER w AS first_fingerprint, row_number() OVER w AS occurrence FROM i LEFT JOIN s"
            + " ON s.tenant = i.tenant AND s.event_id = i.event_id WINDOW w AS (PARTITION BY"
            + " i.tenant, i.event_id ORDER BY i.n)),"
            + " bad AS (SELECT count(*) AS conflicts FROM d WHERE CASE WHEN stored_fingerprint IS"
            + " NOT NULL THEN stored_fingerprint <> fingerprint ELSE first_fingerprint <>"
            + " fingerprint END),"
            // The new events, ranked in batch order under their cursor; none if any conflicts.
            // Each new event's sequence: its cursor's count (locked above, so it holds still)
            // plus its rank under the cursor. Read from the table, not joined to the cursor
            // update below: CTEs carry no row estimates, and that join ran as a nested loop.
            + " f AS (SELECT d.*, row_number() OVER (PARTITION BY d.tenant, d.account, d.meter"
            + " ORDER BY d.n) AS rank, r.ingested_sequence AS base FROM d JOIN "
            + cursors
            + " AS r ON r.tenant = d.tenant AND r.account = d.account AND r.meter = d.meter WHERE"
            + " d.stored_fingerprint IS NULL AND d.occurrence = 1 AND (SELECT conflicts FROM bad) ="
            + " 0),"
            + " g AS (SELECT tenant, account, meter, count(*) AS fresh, min(bound) FILTER (WHERE"
            + " rank = 1) AS first_bound FROM f GROUP BY tenant, account, meter),"
            // A cursor at 0 is this ingest's own (committed cursors hold an event): it starts at
            // its first new event.
            + " c AS (UPDATE "
            + cursors
            + " AS r SET ingested_sequence = r.ingested_sequence + g.fresh, rated_until = CASE WHEN"
            + " r.ingested_sequence = 0 THEN g.first_bound ELSE r.rated_until END FROM g WHERE"
            + " r.tenant = g.tenant AND r.account = g.account AND r.meter = g.meter RETURNING"
            + " 1),"
            + " gone AS (DELETE FROM "
            + cursors
            + " AS r USING (SELECT DISTINCT tenant, account, meter FROM i) AS k WHERE "
            + sameCursor
            + " AND r.ingested_sequence = 0 AND NOT EXISTS (SELECT 1 FROM g WHERE g.tenant ="
            + " k.tenant AND g.account = k.account AND g.meter = k.meter)),"
            + " e AS (INSERT INTO "
            + events
            + " ("
            + EVENT_COLUMNS
            + ") SELECT f.tenant, f.event_id, f.account, f.meter, f.quantity, f.occurred_at,"
            + " CAST(f.dimensions AS jsonb), f.fingerprint, f.base + f.rank, f.received_at FROM f"
            + " ORDER BY f.tenant, f.event_id RETURNING tenant, event_id, sequence)"
            // One row per event of the batch, in batch order, with the stored event of its id.
            + " SELECT d.n AS position, (SELECT conflicts FROM bad) AS conflicts, e.sequence AS"
            + " new_sequence, s.tenant, s.event_id, s.account, s.meter, s.quantity,"
            + " s.occurred_at, s.dimensions, s.fingerprint, s.sequence, s.received_at FROM d LEFT"
            + " JOIN e ON d.occurrence = 1 AND e.tenant = d.tenant AND e.event_id = d.event_id"
            + " LEFT JOIN s ON s.tenant = d.tenant AND s.event_id = d.event_id ORDER BY d.n";
  }

  /** Runs the statement on {@code c} (in autocommit: the statement is the transaction). */
  Result apply(Connection c, List<StoredUsageEvent> batch) throws SQLException {
    int size = batch.size();
    String[] tenants = new String[size];
    String[] ids = new String[size];
    String[] accounts = new String[size];
    String[] meters = new String[size];
    String[] quantities = new String[size];
    String[] occurred = new String[size];
    String[] bounds = new String[size];
    String[] dimensions = new String[size];
    String[] fingerprints = new String[size];
    String[] received = new String[size];
    for (int k = 0; k < size; k++) {
      StoredUsageEvent stored = batch.get(k);
      UsageEvent e = stored.event();
      tenants[k] = e.tenant().value();
      ids[k] = e.id();
      accounts[k] = e.account().value();
      meters[k] = e.meter();
      quantities[k] = e.quantity().toPlainString();
      occurred[k] = PostgresLedgerCommit.text(e.occurredAt());
      bounds[k] = StoreRows.ceilMicros(e.occurredAt()).toString();
      dimensions[k] = JsonCodec.dimensions(e.dimensions());
      fingerprints[k] = stored.fingerprint();
      received[k] = PostgresLedgerCommit.text(stored.receivedAt());
    }
    // The batch's cursors, each with the bound of its first event, in one order for every ingest.
    TreeMap<RatingCursor.Key, String> keys = new TreeMap<>(MeterIngest.CURSOR_ORDER);
    for (int k = 0; k < size; k++) {
      keys.putIfAbsent(UsageInput.cursorKey(batch.get(k).event()), bounds[k]);
    }
    Object[][] cursor = new Object[4][keys.size()];
    int at = 0;
    for (Map.Entry<RatingCursor.Key, String> k : keys.entrySet()) {
      cursor[0][at] = k.getKey().tenant().value();
      cursor[1][at] = k.getKey().account().value();
      cursor[2][at] = k.getKey().meter();
      cursor[3][at] = k.getValue();
      at++;
    }
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int i = 0;
      s.setArray(++i, c.createArrayOf("varchar", cursor[0]));
      s.setArray(++i, c.createArrayOf("varchar", cursor[1]));
      s.setArray(++i, c.createArrayOf("varchar", cursor[2]));
      s.setArray(++i, c.createArrayOf("text", cursor[3]));
      s.setArray(++i, c.createArrayOf("varchar", cursor[0]));
      s.setArray(++i, c.createArrayOf("varchar", cursor[1]));
      s.setArray(++i, c.createArrayOf("varchar", cursor[2]));
      s.setArray(++i, c.createArrayOf("varchar", tenants));
      s.setArray(++i, c.createArrayOf("varchar", ids));
      s.setArray(++i, c.createArrayOf("varchar", accounts));
      s.setArray(++i, c.createArrayOf("varchar", meters));
      s.setArray(++i, c.createArrayOf("text", quantities));
      s.setArray(++i, c.createArrayOf("text", occurred));
      s.setArray(++i, c.createArrayOf("text", bounds));
      s.setArray(++i, c.createArrayOf("text", dimensions));
      s.setArray(++i, c.createArrayOf("text", fingerprints));
      s.setArray(++i, c.createArrayOf("text", received));
      List<StoredUsageEvent> stored = new ArrayList<>();
      long[] sequences = new long[size];
      long conflicts = -1;
      s.execute(); // 1: the insert's count
      s.getMoreResults(); // 2: the locked cursors
      int locked = 0;
      try (ResultSet rs = s.getResultSet()) {
        while (rs.next()) {
          locked++;
        }
      }
      if (locked != keys.size()) {
        throw new IllegalStateException(
            "the ingest locked " + locked + " of its " + keys.size() + " rating cursor(s)");
      }
      s.getMoreResults(); // 3: one row per event
      try (ResultSet rs = s.getResultSet()) {
        while (rs.next()) {
          int position = rs.getInt("position") - 1;
          conflicts = rs.getLong("conflicts");
          long sequence = rs.getLong("new_sequence");
          if (!rs.wasNull()) {
            sequences[position] = sequence;
          }
          if (rs.getString("event_id") != null) {
            stored.add(rows.eventRow(rs));
          }
        }
      }
      if (conflicts < 0) {
        throw new IllegalStateException("the ingest statement answered no row");
      }
      return new Result(stored, conflicts, sequences);
    }
  }
}
