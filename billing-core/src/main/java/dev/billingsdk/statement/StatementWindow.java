package dev.billingsdk.statement;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.ledger.LedgerTransaction;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * Which of an account's ledger transactions a month's statement holds. A transaction belongs to the
 * first month it is effective by (its {@code effectiveAt} is before the month's end) whose
 * statement was still open when it was committed; its sequence tells, because an account's
 * sequences grow in commit order and a closed statement keeps the last sequence it saw (its
 * watermark). So:
 *
 * <pre>
 * member(t) = t.effectiveAt &lt; until
 *         and t.sequence &lt;= watermark
 *         and (t.effectiveAt &gt;= from or t.sequence &gt; previousWatermark)
 * </pre>
 *
 * where {@code previousWatermark} is the closed previous month's watermark, or {@link #NONE} when
 * the previous month is not closed (then everything effective before {@code from} is the opening
 * balance). An open month's watermark is {@link Long#MAX_VALUE}. Every transaction is in exactly
 * one month, so opening(m + 1) = closing(m), and late usage or corrections for a closed month land
 * in the open month.
 */
public record StatementWindow(Instant from, Instant until, long previousWatermark, long watermark) {

  /** No closed previous month. */
  public static final long NONE = -1;

  public StatementWindow {
    InvalidRequestException.requireNonNull(from, "from");
    InvalidRequestException.requireNonNull(until, "until");
    if (!from.isBefore(until)) {
      throw new InvalidRequestException("until", until, "must be after from " + from);
    }
    if (previousWatermark < NONE) {
      throw new InvalidRequestException(
          "previousWatermark", previousWatermark, "must be -1 (none) or a sequence");
    }
    if (watermark < 0 || watermark < previousWatermark) {
      throw new InvalidRequestException(
          "watermark",
          watermark,
          "must be a sequence at least previousWatermark " + previousWatermark);
    }
  }

  /** The UTC calendar month, open (everything committed so far and later). */
  public static StatementWindow open(YearMonth month, long previousWatermark) {
    InvalidRequestException.requireNonNull(month, "month");
    return new StatementWindow(
        start(month), start(month.plusMonths(1)), previousWatermark, Long.MAX_VALUE);
  }

  /** The first instant of the UTC calendar month. */
  public static Instant start(YearMonth month) {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** This window, closed at {@code watermark}. */
  public StatementWindow closedAt(long watermark) {
    return new StatementWindow(from, until, previousWatermark, watermark);
  }

  /** Whether the transaction is in the window (see the type's description). */
  public boolean contains(LedgerTransaction t) {
    return contains(t.effectiveAt(), t.sequence());
  }

  /** Whether a transaction effective at {@code effectiveAt} with this sequence is in the window. */
  public boolean contains(Instant effectiveAt, long sequence) {
    return effectiveAt.isBefore(until)
        && sequence <= watermark
        && (!effectiveAt.isBefore(from)
            || (previousWatermark != NONE && sequence > previousWatermark));
  }
}
