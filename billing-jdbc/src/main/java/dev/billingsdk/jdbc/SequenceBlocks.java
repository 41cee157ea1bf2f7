package dev.billingsdk.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The store's sequence numbers, drawn from the database sequence a block at a time: the sequence
 * moves by {@link #BLOCK} (schema V12), so one draw gives this process {@code BLOCK} numbers and a
 * write costs no round trip for its number. Numbers are handed out in increasing order within the
 * process.
 *
 * <p>Two processes hold different blocks, so their numbers interleave out of commit order. An
 * account's transactions must still be numbered in the order they commit (statements rely on it): a
 * write is applied only if its number is above the account's last ({@code accounts.last_sequence},
 * checked where the write happens). A write refused for that reason is a version conflict; the
 * writer decides again with a new number, drawn from a fresh block because the stale one is {@link
 * #discard discarded}.
 */
final class SequenceBlocks {
  /** How far one draw moves the database sequence: its increment since schema V12. */
  static final int BLOCK = 256;

  private final JdbcRunner runner;
  private final String sql;
  private long next;
  private long end; // exclusive; next == end: no block held

  SequenceBlocks(JdbcRunner runner, Dialect dialect, StoreRows db) {
    this.runner = runner;
    this.sql = dialect.nextSequenceSql(db.t("sequence"));
  }

  /** The next number: from the block held, or from a new block drawn with one round trip. */
  synchronized long next() {
    if (next == end) {
      long start = draw();
      next = start;
      end = start + BLOCK;
    }
    return next++;
  }

  /**
   * Drops the rest of the block held if {@code stale} is in it or before it: an account already has
   * a later number, written by another process holding a later block.
   */
  synchronized void discard(long stale) {
    if (stale < end) {
      next = end;
    }
  }

  private long draw() {
    return runner.read(
        "drawing a block of sequence numbers",
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql);
              ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }
}
