package dev.billingsdk.internal.credit;

import dev.billingsdk.GrantId;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.spi.StoreRejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a debit's credit came from, in the order it was taken: grants, then the overdraft. Written
 * on every debit (and hold) as the {@code billing.lineage} reference, one source per line ({@code
 * <minor> GRANT <id>} or {@code <minor> OVERDRAFT}); identifiers cannot hold line breaks, so the
 * text is unambiguous. Reversals and releases read it to give credit back, last taken first.
 */
record Lineage(List<Source> sources) {
  static final String REF = "billing.lineage";

  /** Credit taken from one grant, or from the overdraft when {@code grant} is empty. */
  record Source(Optional<GrantId> grant, long minor) {}

  Lineage {
    sources = List.copyOf(sources);
  }

  static Lineage of(List<Source> sources) {
    return new Lineage(sources);
  }

  /**
   * The lineage of a debit (or hold): its reference, or, failing that, its own grant and overdraft
   * postings.
   */
  static Lineage ofDebit(LedgerTransaction t) {
    String ref = t.references().get(REF);
    if (ref != null) {
      return decode(ref);
    }
    List<Source> sources = new ArrayList<>();
    for (Posting p : t.postings()) {
      if (p.amount().isNegative() && p.account().isGrant()) {
        sources.add(new Source(Optional.of(p.account().grant()), -p.amount().minor()));
      }
    }
    long overdraft = -t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT));
    if (overdraft > 0) {
      sources.add(new Source(Optional.empty(), overdraft));
    }
    return of(sources);
  }

  long total() {
    long sum = 0;
    for (Source s : sources) {
      sum = Math.addExact(sum, s.minor());
    }
    return sum;
  }

  String encode() {
    StringBuilder b = new StringBuilder(32 * sources.size());
    for (int i = 0, n = sources.size(); i < n; i++) {
      Source s = sources.get(i);
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(s.minor());
      if (s.grant().isPresent()) {
        b.append(" GRANT ").append(s.grant().get().value());
      } else {
        b.append(" OVERDRAFT");
      }
    }
    return b.toString();
  }

  static Lineage decode(String text) {
    List<Source> sources = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return new Lineage(sources);
    }
    for (String line : text.split("\n", -1)) {
      int space = line.indexOf(' ');
      if (space < 0) {
        throw new StoreRejectedException("unreadable lineage line: " + line);
      }
      long minor = Long.parseLong(line.substring(0, space));
      String rest = line.substring(space + 1);
      if (rest.equals("OVERDRAFT")) {
        sources.add(new Source(Optional.empty(), minor));
      } else if (rest.startsWith("GRANT ")) {
        sources.add(new Source(Optional.of(GrantId.of(rest.substring(6))), minor));
      } else {
        throw new StoreRejectedException("unreadable lineage line: " + line);
      }
    }
    return new Lineage(sources);
  }

  /**
   * What is left of this lineage once {@code given} back has been subtracted, last taken first: the
   * sources, in taking order, that can still be given back.
   */
  Lineage minusFromEnd(long given) {
    List<Source> left = new ArrayList<>(sources);
    long toRemove = given;
    for (int i = left.size() - 1; i >= 0 && toRemove > 0; i--) {
      Source s = left.get(i);
      long cut = Math.min(toRemove, s.minor());
      toRemove -= cut;
      if (cut == s.minor()) {
        left.remove(i);
      } else {
        left.set(i, new Source(s.grant(), s.minor() - cut));
      }
    }
    return new Lineage(left);
  }

  /** The first {@code amount} of this lineage, in taking order. */
  Lineage prefix(long amount) {
    List<Source> out = new ArrayList<>();
    long need = amount;
    for (Source s : sources) {
      if (need == 0) {
        break;
      }
      long take = Math.min(need, s.minor());
      out.add(new Source(s.grant(), take));
      need -= take;
    }
    return new Lineage(out);
  }

  /** The last {@code amount} of this lineage, in taking order. */
  Lineage suffix(long amount) {
    return dropFirst(total() - amount);
  }

  private Lineage dropFirst(long amount) {
    List<Source> out = new ArrayList<>();
    long skip = amount;
    for (Source s : sources) {
      if (skip >= s.minor()) {
        skip -= s.minor();
        continue;
      }
      out.add(new Source(s.grant(), s.minor() - skip));
      skip = 0;
    }
    return new Lineage(out);
  }

  Lineage then(Lineage more) {
    List<Source> all = new ArrayList<>(sources);
    all.addAll(more.sources);
    return new Lineage(all);
  }
}
