package dev.billingsdk.memory;

import dev.billingsdk.GrantId;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.Posting;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a transaction's postings move, read in one loop: each grant's change (summed, in order of
 * first posting, without boxing) and the OVERDRAFT counter's change. The same figures as {@code
 * LedgerWrite.grantDeltas()} and {@code overdraftDelta()}, which each walk the postings again and
 * box every amount into a map.
 */
final class PostingDeltas {
  /** Up to this many grants, a linear scan finds a grant faster than a hash map would. */
  private static final int SCAN_LIMIT = 8;

  private static final LedgerAccount OVERDRAFT =
      LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT);

  private final GrantId[] ids;
  private final long[] sums;
  private int size;
  private long overdraft;
  private Map<GrantId, Integer> index = Map.of();

  PostingDeltas(List<Posting> postings) {
    int n = postings.size();
    ids = new GrantId[n];
    sums = new long[n];
    for (int i = 0; i < n; i++) {
      Posting p = postings.get(i);
      LedgerAccount a = p.account();
      long minor = p.amount().minor();
      if (a.isGrant()) {
        add(a.grant(), minor);
      } else if (a.equals(OVERDRAFT)) {
        overdraft = Math.addExact(overdraft, minor);
      }
    }
  }

  private void add(GrantId id, long minor) {
    int at = find(id);
    if (at >= 0) {
      sums[at] = Math.addExact(sums[at], minor);
      return;
    }
    ids[size] = id;
    sums[size] = minor;
    if (size >= SCAN_LIMIT) {
      if (size == SCAN_LIMIT) {
        index = new HashMap<>();
        for (int i = 0; i < SCAN_LIMIT; i++) {
          index.put(ids[i], i);
        }
      }
      index.put(id, size);
    }
    size++;
  }

  private int find(GrantId id) {
    if (size > SCAN_LIMIT) {
      Integer at = index.get(id);
      return at == null ? -1 : at;
    }
    for (int i = 0; i < size; i++) {
      if (ids[i].equals(id)) {
        return i;
      }
    }
    return -1;
  }

  /** How many grants the postings move. */
  int size() {
    return size;
  }

  /** The {@code i}th grant moved, in order of its first posting. */
  GrantId id(int i) {
    return ids[i];
  }

  /** The change of the {@code i}th grant's remaining credit, in minor units. */
  long delta(int i) {
    return sums[i];
  }

  /** The change of the account's OVERDRAFT balance, in minor units. */
  long overdraft() {
    return overdraft;
  }
}
