package dev.billingsdk.internal.credit;

import dev.billingsdk.GrantId;
import dev.billingsdk.ledger.LedgerTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Read access to a debit's (or reversal's) lineage for the finance reports: which grants the credit
 * of a transaction was taken from (a debit) or given back to (a reversal), and how much from each.
 * Overdraft sources have no grant. The lineage of a reversal is what its restorer gave back, so a
 * report reading it values a reversal at the grants the original debit took from, last taken first.
 */
public final class DebitLineage {
  private DebitLineage() {}

  /** One source of a lineage: a grant (empty for the overdraft) and the credit in minor units. */
  public record Source(Optional<GrantId> grant, long minor) {}

  /** The sources of {@code t}'s lineage, in the order recorded. */
  public static List<Source> of(LedgerTransaction t) {
    List<Source> out = new ArrayList<>();
    for (Lineage.Source s : Lineage.ofDebit(t).sources()) {
      out.add(new Source(s.grant(), s.minor()));
    }
    return out;
  }

  /** The reference key under which transactions carry their lineage. */
  public static String reference() {
    return Lineage.REF;
  }

  /** The reference key naming a debit's item code (meter key for usage). */
  public static String itemReference() {
    return Charges.REF_ITEM;
  }
}
