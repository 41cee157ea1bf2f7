package dev.billingsdk.jdbc;

import static dev.billingsdk.jdbc.StoreRows.LINE_COLUMNS;

import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.RatedLine;
import dev.billingsdk.spi.RatingCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A page of rating-cursor steps on PostgreSQL in one statement, its own transaction: the {@code
 * UPDATE} of every cursor still at the step's version minus one (the compare-and-set, all steps
 * joined from arrays in the caller's key order, so two pages lock shared cursors in one order)
 * drives the {@code INSERT} of the lines of exactly the steps it moved, in one data-modifying
 * statement. It answers which steps moved.
 */
final class PostgresCursorPages {
  private final String sql;
  private final Function<String, String> digest;

  PostgresCursorPages(StoreRows rows, Function<String, String> digest) {
    this.digest = digest;
    String cursors = rows.t("rating_cursors");
    this.sql =
        "WITH s AS (SELECT * FROM unnest(CAST(? AS varchar[]), CAST(? AS varchar[]),"
            + " CAST(? AS varchar[]), CAST(? AS bigint[]), CAST(? AS timestamptz[]),"
            + " CAST(? AS bigint[]), CAST(? AS text[])) WITH ORDINALITY AS s(tenant, account,"
            + " meter, version, rated_until, rated_sequence, state, n)),"
            + " moved AS (UPDATE "
            + cursors
            + " AS r SET version = s.version, rated_until = s.rated_until, rated_sequence ="
            + " s.rated_sequence, state = s.state FROM s WHERE r.tenant = s.tenant AND r.account"
            + " = s.account AND r.meter = s.meter AND r.version = s.version - 1 RETURNING s.n),"
            + " l AS (SELECT * FROM unnest(CAST(? AS bigint[]), CAST(? AS varchar[]),"
            + " CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS bigint[]),"
            + " CAST(? AS integer[]), CAST(? AS timestamptz[]), CAST(? AS timestamptz[]),"
            + " CAST(? AS integer[]), CAST(? AS integer[]), CAST(? AS text[]), CAST(? AS text[]),"
            + " CAST(? AS text[]), CAST(? AS numeric[]), CAST(? AS bigint[]), CAST(? AS"
            + " varchar[]), CAST(? AS integer[]), CAST(? AS boolean[]), CAST(? AS text[])) AS"
            + " l(n, tenant, account, meter, cursor_version, line_number, window_start,"
            + " window_end, period_year, period_month, dimensions, dimension_key,"
            + " dimension_digest, quantity, credits, unit_code, unit_scale, unit_currency,"
            + " posting)),"
            + " i AS (INSERT INTO "
            + rows.t("rated_lines")
            + " ("
            + LINE_COLUMNS
            + ") SELECT l.tenant, l.account, l.meter, l.cursor_version, l.line_number,"
            + " l.window_start, l.window_end, l.period_year, l.period_month, CAST(l.dimensions AS"
            + " jsonb), l.dimension_key, l.dimension_digest, l.quantity, l.credits, l.unit_code,"
            + " l.unit_scale, l.unit_currency, l.posting FROM l JOIN moved AS m ON m.n = l.n)"
            + " SELECT n FROM moved";
  }

  /**
   * Runs the page on {@code c} (in autocommit: the statement is the transaction).
   *
   * @param steps the page, already checked, in the order the cursors are to be locked
   * @return for each step of {@code steps}, whether it moved
   */
  boolean[] apply(Connection c, List<MeteringStore.CursorStep> steps) throws SQLException {
    int n = steps.size();
    Object[][] s = new Object[7][n];
    List<Object[]> lines = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      RatingCursor next = steps.get(k).next();
      s[0][k] = next.tenant().value();
      s[1][k] = next.account().value();
      s[2][k] = next.meter();
      s[3][k] = next.version();
      s[4][k] = PostgresLedgerCommit.text(next.ratedUntil());
      s[5][k] = next.ratedSequence();
      s[6][k] = next.state();
      for (RatedLine l : steps.get(k).lines()) {
        String dimensionKey = RatedLine.dimensionKey(l.dimensions());
        Unit unit = l.credits().unit();
        lines.add(
            new Object[] {
              (long) k + 1,
              l.tenant().value(),
              l.account().value(),
              l.meter(),
              l.cursorVersion(),
              l.lineNumber(),
              PostgresLedgerCommit.text(l.windowStart()),
              PostgresLedgerCommit.text(l.windowEnd()),
              l.period().getYear(),
              l.period().getMonthValue(),
              JsonCodec.dimensions(l.dimensions()),
              dimensionKey,
              digest.apply(dimensionKey),
              l.quantity().toPlainString(),
              l.credits().minor(),
              unit.code(),
              unit.scale(),
              unit instanceof CurrencyUnit,
              l.posting().orElse(null)
            });
      }
    }
    String[] stepTypes = {"varchar", "varchar", "varchar", "bigint", "text", "bigint", "text"};
    String[] lineTypes = {
      "bigint", "varchar", "varchar", "varchar", "bigint", "integer", "text", "text", "integer",
      "integer", "text", "text", "text", "text", "bigint", "varchar", "integer", "boolean", "text"
    };
    try (PreparedStatement p = c.prepareStatement(sql)) {
      int i = 0;
      for (int col = 0; col < stepTypes.length; col++) {
        p.setArray(++i, c.createArrayOf(stepTypes[col], s[col]));
      }
      for (int col = 0; col < lineTypes.length; col++) {
        Object[] column = new Object[lines.size()];
        for (int r = 0; r < column.length; r++) {
          column[r] = lines.get(r)[col];
        }
        p.setArray(++i, c.createArrayOf(lineTypes[col], column));
      }
      boolean[] moved = new boolean[n];
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          moved[(int) rs.getLong(1) - 1] = true;
        }
      }
      return moved;
    }
  }
}
