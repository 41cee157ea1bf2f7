package dev.billingsdk.jdbc;

import static dev.billingsdk.jdbc.StoreRows.CURSOR_KEY;
import static dev.billingsdk.jdbc.StoreRows.EVENT_COLUMNS;
import static dev.billingsdk.jdbc.StoreRows.METER_COLUMNS;
import static dev.billingsdk.jdbc.StoreRows.bindKey;
import static dev.billingsdk.jdbc.StoreRows.chunks;
import static dev.billingsdk.jdbc.StoreRows.cursorBinder;
import static dev.billingsdk.jdbc.StoreRows.micros;
import static dev.billingsdk.jdbc.StoreRows.query;
import static dev.billingsdk.jdbc.StoreRows.tenantAnd;
import static dev.billingsdk.jdbc.UsageInput.cursorKey;
import static dev.billingsdk.jdbc.UsageInput.wellFormed;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.spi.IngestOutcome;
import dev.billingsdk.spi.IngestRules;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The meters and the usage ingest of {@link JdbcBillingStore}'s {@link MeteringStore}: meters are
 * inserted unless present; an ingest is one database transaction run by {@link Ingest}.
 */
final class MeterIngest {
  private final JdbcRunner runner;
  private final StoreRows db;
  private final Dialect dialect;

  /** The one-statement ingest where the database takes it (PostgreSQL), else null. */
  private final @Nullable PostgresIngest oneStatement;

  MeterIngest(JdbcRunner runner, StoreRows db, Dialect dialect) {
    this.runner = runner;
    this.db = db;
    this.dialect = dialect;
    this.oneStatement = dialect.writesInOneStatement() ? new PostgresIngest(db) : null;
  }

  /** The order every ingest locks its rating cursors in. */
  static final Comparator<RatingCursor.Key> CURSOR_ORDER =
      Comparator.comparing((RatingCursor.Key k) -> k.tenant().value())
          .thenComparing(k -> k.account().value())
          .thenComparing(RatingCursor.Key::meter);

  private static final Comparator<EventKey> EVENT_ORDER =
      Comparator.comparing((EventKey k) -> k.tenant().value()).thenComparing(EventKey::id);

  /** One usage event id in its tenant. */
  private record EventKey(TenantId tenant, String id) {
    static EventKey of(StoredUsageEvent e) {
      return new EventKey(e.event().tenant(), e.event().id());
    }
  }

  Meter insertMeterIfAbsent(Meter meter) {
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
    runner.insertUnlessRaced(
        "storing a meter",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  dialect.insertIfAbsentSql(
                      db.t("meters"),
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

  Optional<Meter> findMeter(TenantId tenant, String key) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(key, "meter");
    wellFormed(tenant.value(), "tenant");
    wellFormed(key, "meter");
    return runner.read(
        "reading a meter",
        c ->
            query(
                    c,
                    "SELECT "
                        + METER_COLUMNS
                        + " FROM "
                        + db.t("meters")
                        + " WHERE tenant = ? AND meter_key = ?",
                    tenantAnd(tenant, key),
                    StoreRows::meterRow)
                .stream()
                .findFirst());
  }

  List<Meter> meters(TenantId tenant) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    wellFormed(tenant.value(), "tenant");
    List<Meter> all =
        new ArrayList<>(
            runner.read(
                "reading meters",
                c ->
                    query(
                        c,
                        "SELECT " + METER_COLUMNS + " FROM " + db.t("meters") + " WHERE tenant = ?",
                        s -> s.setString(1, tenant.value()),
                        StoreRows::meterRow)));
    // By key in Java's order, whatever the database's collation.
    all.sort(Comparator.comparing(Meter::key));
    return List.copyOf(all);
  }

  /** The event as it is stored: its sequence, and its receipt time to the microsecond. */
  private static StoredUsageEvent stored(StoredUsageEvent e, long sequence) {
    return new StoredUsageEvent(e.event(), e.fingerprint(), sequence, micros(e.receivedAt()));
  }

  List<IngestOutcome> ingest(List<StoredUsageEvent> events) {
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
    PostgresIngest statement = oneStatement;
    if (statement != null) {
      return runner.statement(
          "ingesting " + batch.size() + " usage event(s)",
          c -> inOneStatement(statement, c, batch));
    }
    try {
      return runner.transaction(
          "ingesting " + batch.size() + " usage event(s)", c -> new Ingest(c, batch).run());
    } catch (Refused refused) {
      return refused.conflicts;
    }
  }

  /**
   * The ingest as one statement: it probes, decides and writes; the outcomes are decided here again
   * from the stored events it saw, by the same rules, and must agree with what it wrote.
   */
  private static List<IngestOutcome> inOneStatement(
      PostgresIngest statement, Connection c, List<StoredUsageEvent> batch) throws SQLException {
    PostgresIngest.Result result = statement.apply(c, batch);
    Map<EventKey, StoredUsageEvent> stored = new HashMap<>();
    result.stored().forEach(e -> stored.put(EventKey.of(e), e));
    List<IngestOutcome> decided = decide(batch, stored);
    boolean refused = IngestRules.refused(decided);
    if (refused != (result.conflicts() > 0)) {
      throw new IllegalStateException(
          "the ingest statement counted "
              + result.conflicts()
              + " conflict(s) where the rules find "
              + (refused ? decided.size() : 0));
    }
    if (refused) {
      return decided;
    }
    long[] sequences = result.sequences();
    return IngestRules.stored(
        decided,
        (position, e) -> {
          if (sequences[position] == 0) {
            throw new IllegalStateException("the ingest statement did not insert event " + e);
          }
          return stored(e, sequences[position]);
        });
  }

  /** The batch decided by {@link IngestRules} against the stored events under its ids. */
  private static List<IngestOutcome> decide(
      List<StoredUsageEvent> batch, Map<EventKey, StoredUsageEvent> stored) {
    return IngestRules.decide(batch, (tenant, id) -> stored.get(new EventKey(tenant, id)));
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

      // Decide every outcome first, so that a conflict anywhere writes nothing.
      List<IngestOutcome> outcomes = decide(batch, storedEvents());
      if (IngestRules.refused(outcomes)) {
        throw new Refused(outcomes);
      }
      // Sequences in list order, from the locked cursors.
      List<IngestOutcome> results =
          IngestRules.stored(
              outcomes,
              (position, e) -> {
                LockedCursor cursor = locked(cursorKey(e.event()));
                if (cursor.firstNew == null) {
                  cursor.firstNew = e.event().occurredAt();
                }
                return stored(e, ++cursor.ingested);
              });
      List<StoredUsageEvent> inserted = new ArrayList<>();
      for (IngestOutcome o : results) {
        if (o instanceof IngestOutcome.Inserted i) {
          inserted.add(i.stored());
        }
      }
      insertEvents(inserted);
      updateCursors();
      return results;
    }

    /** Creates the cursor if it is missing, then locks it; returns what it holds. */
    private LockedCursor lock(RatingCursor.Key k, Instant firstAt) throws SQLException {
      try (PreparedStatement s =
          c.prepareStatement(
              dialect.insertIfAbsentSql(
                  db.t("rating_cursors"),
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
        db.setBound(s, 5, firstAt);
        s.setLong(6, 0);
        s.setLong(7, 0);
        s.setString(8, "");
        s.executeUpdate();
      }
      List<Long> ingested =
          query(
              c,
              "SELECT ingested_sequence FROM "
                  + db.t("rating_cursors")
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
                      + db.t("usage_events")
                      + " WHERE "
                      + dialect.tenantIdIn("tenant", "event_id", chunk.size()),
                  s -> dialect.bindTenantIds(s, 1, e.getKey().value(), chunk),
                  db::eventRow);
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
                  + db.t("usage_events")
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
          db.setInstant(s, 6, e.occurredAt());
          s.setString(7, JsonCodec.dimensions(e.dimensions()));
          s.setString(8, r.fingerprint());
          s.setLong(9, r.sequence());
          db.setInstant(s, 10, r.receivedAt());
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
                      + db.t("rating_cursors")
                      + " SET ingested_sequence = ? WHERE tenant = ? AND account = ? AND meter = ?");
          PreparedStatement start =
              c.prepareStatement(
                  "UPDATE "
                      + db.t("rating_cursors")
                      + " SET ingested_sequence = ?, rated_until = ?"
                      + " WHERE tenant = ? AND account = ? AND meter = ?");
          PreparedStatement remove =
              c.prepareStatement(
                  "DELETE FROM "
                      + db.t("rating_cursors")
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
            db.setBound(start, 2, cursor.firstNew);
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
}
