package dev.billingsdk.jdbc;

import static dev.billingsdk.jdbc.StoreRows.CURSOR_COLUMNS;
import static dev.billingsdk.jdbc.StoreRows.CURSOR_KEY;
import static dev.billingsdk.jdbc.StoreRows.EVENT_COLUMNS;
import static dev.billingsdk.jdbc.StoreRows.LINE_COLUMNS;
import static dev.billingsdk.jdbc.StoreRows.bindKey;
import static dev.billingsdk.jdbc.StoreRows.canonical;
import static dev.billingsdk.jdbc.StoreRows.cursorBinder;
import static dev.billingsdk.jdbc.StoreRows.query;
import static dev.billingsdk.jdbc.StoreRows.requireLimit;
import static dev.billingsdk.jdbc.StoreRows.tenantAnd;
import static dev.billingsdk.jdbc.StoreRows.unit;
import static dev.billingsdk.jdbc.UsageInput.wellFormed;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.MeteringStore.UsagePosition;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import dev.billingsdk.spi.StoredUsageEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The rating side of {@link JdbcBillingStore}'s {@link MeteringStore}: the usage a rating step
 * reads, rating cursors, the rated lines a step stores with its cursor, and usage summaries.
 */
final class UsageRating {
  private final JdbcRunner runner;
  private final StoreRows db;
  private final Dialect dialect;

  private final @Nullable PostgresCursorPages oneStatement;

  UsageRating(JdbcRunner runner, StoreRows db, Dialect dialect) {
    this.runner = runner;
    this.db = db;
    this.dialect = dialect;
    this.oneStatement =
        dialect.writesInOneStatement() ? new PostgresCursorPages(db, UsageRating::digest) : null;
  }

  /**
   * What usage summaries group rated lines by: the digest stands for the dimension values (a
   * fixed-width value every database compares in full, where MariaDB, when it groups by sorting,
   * compares long text only up to {@code max_sort_length}, 1,024 bytes by default), and the
   * dimension key, which the digest determines, rides along so that the values come back from it
   * ({@link RatedLine#dimensionsOf}) without an aggregate: {@code MIN(dimension_key)} over a text
   * column took MariaDB 95 ms of a 1,000,000-event month against 64 ms grouped (the hand-written
   * {@code GROUP BY} 47 ms); PostgreSQL is the same either way (17 ms). Not the JSON column:
   * grouping or aggregating 24,000 JSON documents cost PostgreSQL more than the rest of the query.
   */
  static final String SUMMARY_GROUPS =
      "account, period_year, period_month, meter, dimension_digest, unit_code, unit_scale,"
          + " unit_currency, dimension_key";

  /** The largest scale and integer digits of a rated line's quantity (DECIMAL(50, 12)). */
  private static final int LINE_SCALE = 12;

  private static final int LINE_INTEGER_DIGITS = 38;

  /** The hex SHA-256 of a dimension key's UTF-16 code units (exact for any Java string). */
  private static String digest(String dimensionKey) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(dimensionKey.getBytes(StandardCharsets.UTF_16BE)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  Optional<StoredUsageEvent> findUsageEvent(TenantId tenant, String id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "id");
    wellFormed(tenant.value(), "tenant");
    wellFormed(id, "id");
    return runner.read(
        "reading a usage event",
        c ->
            query(
                    c,
                    "SELECT "
                        + EVENT_COLUMNS
                        + " FROM "
                        + db.t("usage_events")
                        + " WHERE tenant = ? AND event_id = ?",
                    tenantAnd(tenant, id),
                    db::eventRow)
                .stream()
                .findFirst());
  }

  List<StoredUsageEvent> lateUsage(
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
    return runner.read(
        "reading late usage",
        c ->
            List.copyOf(
                query(
                    c,
                    "SELECT "
                        + EVENT_COLUMNS
                        + " FROM "
                        + db.t("usage_events")
                        + " WHERE tenant = ? AND account = ? AND meter = ?"
                        + " AND sequence > ? AND sequence <= ? AND occurred_at < ?"
                        + " ORDER BY sequence LIMIT ?",
                    s -> {
                      bindKey(s, 1, k);
                      s.setLong(4, afterSequence);
                      s.setLong(5, upToSequence);
                      db.setBound(s, 6, occurredBefore);
                      s.setInt(7, limit);
                    },
                    db::eventRow)));
  }

  List<StoredUsageEvent> windowUsage(
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
                + db.t("usage_events")
                + " WHERE tenant = ? AND account = ? AND meter = ?"
                + " AND occurred_at >= ? AND occurred_at < ? AND sequence <= ?");
    if (after.isPresent()) {
      sql.append(" AND ").append(dialect.rowAfter(order));
    }
    sql.append(" ORDER BY occurred_at, sequence LIMIT ?");
    return runner.read(
        "reading a window's usage",
        c ->
            List.copyOf(
                query(
                    c,
                    sql.toString(),
                    s -> {
                      bindKey(s, 1, k);
                      db.setBound(s, 4, from);
                      db.setBound(s, 5, to);
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
                    db::eventRow)));
  }

  /** The most cursors one statement of {@link #pendingUsage} reads (two branches each). */
  static final int PENDING_CURSORS_PER_STATEMENT = 100;

  /**
   * A page's pending usage in one read: per cursor, a parenthesised {@code SELECT} for its late
   * usage and one for its usage ahead, each on the usage index with its own {@code LIMIT}, joined
   * with {@code UNION ALL} into one statement per {@value #PENDING_CURSORS_PER_STATEMENT} cursors
   * and sorted back into lists here (a union keeps no order).
   */
  List<MeteringStore.PendingUsage> pendingUsage(
      List<RatingCursor> cursors, Instant due, int limit) {
    MeteringStore.requirePendingUsage(cursors, due, limit);
    for (RatingCursor c : cursors) {
      wellFormed(c.key());
    }
    List<List<StoredUsageEvent>> late = new java.util.ArrayList<>();
    List<List<StoredUsageEvent>> ahead = new java.util.ArrayList<>();
    for (int i = 0; i < cursors.size(); i++) {
      late.add(new java.util.ArrayList<>());
      ahead.add(new java.util.ArrayList<>());
    }
    runner.read(
        "reading a page's pending usage",
        c -> {
          for (int from = 0; from < cursors.size(); from += PENDING_CURSORS_PER_STATEMENT) {
            readPending(
                c,
                cursors,
                from,
                Math.min(cursors.size(), from + PENDING_CURSORS_PER_STATEMENT),
                due,
                limit,
                late,
                ahead);
          }
          return Boolean.TRUE;
        });
    List<MeteringStore.PendingUsage> out = new java.util.ArrayList<>(cursors.size());
    java.util.Comparator<StoredUsageEvent> bySequence =
        java.util.Comparator.comparingLong(StoredUsageEvent::sequence);
    java.util.Comparator<StoredUsageEvent> byTime =
        java.util.Comparator.comparing((StoredUsageEvent e) -> e.event().occurredAt())
            .thenComparingLong(StoredUsageEvent::sequence);
    for (int i = 0; i < cursors.size(); i++) {
      late.get(i).sort(bySequence);
      ahead.get(i).sort(byTime);
      out.add(new MeteringStore.PendingUsage(late.get(i), ahead.get(i)));
    }
    return out;
  }

  private void readPending(
      Connection c,
      List<RatingCursor> cursors,
      int from,
      int to,
      Instant due,
      int limit,
      List<List<StoredUsageEvent>> late,
      List<List<StoredUsageEvent>> ahead)
      throws SQLException {
    StringBuilder sql = new StringBuilder();
    String table = db.t("usage_events");
    for (int i = from; i < to; i++) {
      RatingCursor k = cursors.get(i);
      if (k.ratedSequence() < k.ingestedSequence()) {
        sql.append(sql.length() == 0 ? "" : " UNION ALL ")
            .append("(SELECT ")
            .append(EVENT_COLUMNS)
            .append(", ")
            .append(2 * i)
            .append(" AS pending_slot FROM ")
            .append(table)
            .append(" WHERE tenant = ? AND account = ? AND meter = ?")
            .append(" AND sequence > ? AND sequence <= ? AND occurred_at < ?")
            .append(" ORDER BY sequence LIMIT ?)");
      }
      if (k.ratedUntil().isBefore(due)) {
        sql.append(sql.length() == 0 ? "" : " UNION ALL ")
            .append("(SELECT ")
            .append(EVENT_COLUMNS)
            .append(", ")
            .append(2 * i + 1)
            .append(" AS pending_slot FROM ")
            .append(table)
            .append(" WHERE tenant = ? AND account = ? AND meter = ?")
            .append(" AND occurred_at >= ? AND occurred_at < ? AND sequence <= ?")
            .append(" ORDER BY occurred_at, sequence LIMIT ?)");
      }
    }
    if (sql.length() == 0) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(sql.toString())) {
      int p = 1;
      for (int i = from; i < to; i++) {
        RatingCursor k = cursors.get(i);
        if (k.ratedSequence() < k.ingestedSequence()) {
          bindKey(s, p, k.key());
          s.setLong(p + 3, k.ratedSequence());
          s.setLong(p + 4, k.ingestedSequence());
          db.setBound(s, p + 5, k.ratedUntil());
          s.setInt(p + 6, limit);
          p += 7;
        }
        if (k.ratedUntil().isBefore(due)) {
          bindKey(s, p, k.key());
          db.setBound(s, p + 3, k.ratedUntil());
          db.setBound(s, p + 4, due);
          s.setLong(p + 5, k.ingestedSequence());
          s.setInt(p + 6, limit);
          p += 7;
        }
      }
      try (java.sql.ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          int slot = rs.getInt("pending_slot");
          (slot % 2 == 0 ? late : ahead).get(slot / 2).add(db.eventRow(rs));
        }
      }
    }
  }

  // ---------------------------------------------------------------- rating cursors

  Optional<RatingCursor> findRatingCursor(TenantId tenant, AccountId account, String meter) {
    RatingCursor.Key k = wellFormed(new RatingCursor.Key(tenant, account, meter));
    return runner.read(
        "reading a rating cursor",
        c ->
            query(
                    c,
                    "SELECT "
                        + CURSOR_COLUMNS
                        + " FROM "
                        + db.t("rating_cursors")
                        + " WHERE tenant = ? AND account = ? AND meter = ?",
                    cursorBinder(k),
                    db::cursorRow)
                .stream()
                .findFirst());
  }

  List<RatingCursor> ratingCursors(Optional<RatingCursor.Key> after, int limit) {
    InvalidRequestException.requireNonNull(after, "after");
    after.ifPresent(UsageInput::wellFormed);
    requireLimit(limit);
    StringBuilder sql =
        new StringBuilder("SELECT " + CURSOR_COLUMNS + " FROM " + db.t("rating_cursors"));
    if (after.isPresent()) {
      sql.append(" WHERE ").append(dialect.rowAfter(CURSOR_KEY));
    }
    sql.append(" ORDER BY tenant, account, meter LIMIT ?");
    return runner.read(
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
                    db::cursorRow)));
  }

  boolean advanceRatingCursor(RatingCursor next, List<RatedLine> lines) {
    InvalidRequestException.requireNonNull(next, "next");
    InvalidRequestException.requireNonNull(lines, "lines");
    wellFormed(next.key());
    wellFormed(next.state(), "state");
    List<RatedLine> rows = List.copyOf(checkLines(next, lines));
    // Without lines the compare-and-set is one statement, its own transaction: one round trip.
    JdbcRunner.Work<Boolean> step =
        c -> {
          int moved;
          try (PreparedStatement s = c.prepareStatement(stepSql())) {
            bindStep(s, next);
            moved = s.executeUpdate();
          }
          if (moved != 1) {
            return false;
          }
          insertLines(c, rows);
          return true;
        };
    return rows.isEmpty()
        ? runner.statement("advancing a rating cursor", step)
        : runner.transaction("advancing a rating cursor", step);
  }

  /**
   * A page of cursor steps in one transaction: the compare-and-sets as one batch (in key order, so
   * that two pages over the same cursors lock them in one order), then the lines of the steps that
   * moved as one batch. Every step's lines are checked before anything is sent.
   */
  List<Boolean> advanceRatingCursors(List<MeteringStore.CursorStep> steps) {
    MeteringStore.requireDistinctCursors(steps);
    for (MeteringStore.CursorStep step : steps) {
      wellFormed(step.next().key());
      wellFormed(step.next().state(), "state");
      checkLines(step.next(), step.lines());
    }
    if (steps.isEmpty()) {
      return List.of();
    }
    PostgresCursorPages statement = oneStatement;
    if (statement == null && steps.size() == 1) {
      MeteringStore.CursorStep only = steps.get(0);
      return List.of(advanceRatingCursor(only.next(), only.lines()));
    }
    Integer[] order = new Integer[steps.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(
        order,
        java.util.Comparator.comparing((Integer i) -> steps.get(i).next().tenant().value())
            .thenComparing(i -> steps.get(i).next().account().value())
            .thenComparing(i -> steps.get(i).next().meter()));
    if (statement != null) {
      // PostgreSQL: the page is one statement, its own transaction (see PostgresCursorPages).
      List<MeteringStore.CursorStep> sorted = new java.util.ArrayList<>(steps.size());
      for (Integer i : order) {
        sorted.add(steps.get(i));
      }
      boolean[] movedSorted =
          runner.statement("advancing a page of rating cursors", c -> statement.apply(c, sorted));
      Boolean[] moved = new Boolean[steps.size()];
      for (int k = 0; k < order.length; k++) {
        moved[order[k]] = movedSorted[k];
      }
      return List.of(moved);
    }
    return runner.transaction(
        "advancing a page of rating cursors",
        c -> {
          Boolean[] moved = new Boolean[steps.size()];
          try (PreparedStatement s = c.prepareStatement(stepSql())) {
            for (Integer i : order) {
              bindStep(s, steps.get(i).next());
              s.addBatch();
            }
            int[] counts = s.executeBatch();
            for (int k = 0; k < order.length; k++) {
              if (counts[k] != 0 && counts[k] != 1) {
                // MariaDB's useBulkStmts=true answers SUCCESS_NO_INFO: a compare-and-set cannot
                // be told from a miss, so nothing is written.
                throw new IllegalStateException(
                    "the driver answered a batched UPDATE with "
                        + counts[k]
                        + " instead of a row count; the cursor steps need exact counts");
              }
              moved[order[k]] = counts[k] == 1;
            }
          }
          List<RatedLine> lines = new java.util.ArrayList<>();
          for (Integer i : order) {
            if (moved[i]) {
              lines.addAll(steps.get(i).lines());
            }
          }
          insertLines(c, lines);
          return List.of(moved);
        });
  }

  /** A cursor step's compare-and-set: the move, if the stored version is the one before. */
  private String stepSql() {
    return "UPDATE "
        + db.t("rating_cursors")
        + " SET version = ?, rated_until = ?, rated_sequence = ?, state = ?"
        + " WHERE tenant = ? AND account = ? AND meter = ? AND version = ?";
  }

  private void bindStep(PreparedStatement s, RatingCursor next) throws SQLException {
    s.setLong(1, next.version());
    db.setBound(s, 2, next.ratedUntil());
    s.setLong(3, next.ratedSequence());
    s.setString(4, next.state());
    bindKey(s, 5, next.key());
    s.setLong(8, next.version() - 1);
  }

  /** The step's lines, refused (typed) if they are not this step's or do not fit the columns. */
  private static List<RatedLine> checkLines(RatingCursor next, List<RatedLine> lines) {
    // The step's own lines, numbered apart: what every store requires (CursorStep checks it).
    new MeteringStore.CursorStep(next, lines);
    for (RatedLine l : lines) {
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
                + db.t("rated_lines")
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
        db.setBound(s, 6, l.windowStart());
        db.setBound(s, 7, l.windowEnd());
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

  List<RatedLine> ratedLines(TenantId tenant, AccountId account, String meter, long cursorVersion) {
    RatingCursor.Key k = wellFormed(new RatingCursor.Key(tenant, account, meter));
    return runner.read(
        "reading rated lines",
        c ->
            List.copyOf(
                query(
                    c,
                    "SELECT "
                        + LINE_COLUMNS
                        + " FROM "
                        + db.t("rated_lines")
                        + " WHERE tenant = ? AND account = ? AND meter = ? AND cursor_version = ?"
                        + " ORDER BY line_number",
                    s -> {
                      bindKey(s, 1, k);
                      s.setLong(4, cursorVersion);
                    },
                    db::lineRow)));
  }

  List<UsageSummaryRow> usageSummary(UsageSummaryQuery q) {
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
                + db.t("rated_lines")
                + " WHERE tenant = ?");
    q.year().ifPresent(y -> sql.append(" AND period_year = ?"));
    q.month().ifPresent(m -> sql.append(" AND period_month = ?"));
    q.account().ifPresent(a -> sql.append(" AND account = ?"));
    q.meter().ifPresent(m -> sql.append(" AND meter = ?"));
    sql.append(" GROUP BY ").append(groups);
    // A month has many rows over few accounts and dimension keys: each is parsed once.
    Map<String, AccountId> accounts = new HashMap<>();
    Map<String, Map<String, String>> dimensions = new HashMap<>();
    return runner.read(
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
                            accounts.computeIfAbsent(rs.getString("account"), AccountId::of),
                            rs.getInt("period_year"),
                            rs.getInt("period_month"),
                            rs.getString("meter"),
                            dimensions.computeIfAbsent(
                                rs.getString("dimension_key"), RatedLine::dimensionsOf),
                            rs.getBigDecimal("quantity"),
                            // A sum beyond a long is an ArithmeticException, as in memory.
                            Amount.ofMinor(unit(rs), rs.getBigDecimal("credits").longValueExact()),
                            Optional.empty()))));
  }
}
