package dev.billingsdk.internal.credit;

import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.LiveGrants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * How a charge would be paid from a snapshot: the pure decision, with no writes, shared by charge
 * and quote.
 */
final class ChargePlan {
  private final List<Take> takes;
  private final Unit unit;
  // In minor units of the charge's unit: an Amount is built only when one is asked for.
  private final long fromOverdraft;
  private final long shortfall;
  private final boolean rejected;
  private final long eligible;
  private final long headroom;

  private ChargePlan(
      List<Take> takes,
      Unit unit,
      long fromOverdraft,
      long shortfall,
      boolean rejected,
      long eligible,
      long headroom) {
    this.takes = takes;
    this.unit = unit;
    this.fromOverdraft = fromOverdraft;
    this.shortfall = shortfall;
    this.rejected = rejected;
    this.eligible = eligible;
    this.headroom = headroom;
  }

  /** Grant and amount, in the order they pay. */
  List<Take> takes() {
    return takes;
  }

  Amount fromOverdraft() {
    return Amount.ofMinor(unit, fromOverdraft);
  }

  Amount shortfall() {
    return Amount.ofMinor(unit, shortfall);
  }

  boolean rejected() {
    return rejected;
  }

  /**
   * What all eligible grants hold together when they do not cover the charge (then it is asked, for
   * the refusal); when they do, what the grants looked at hold (at least the charge).
   */
  Amount eligible() {
    return Amount.ofMinor(unit, eligible);
  }

  /** What the overdraft policy still lets the account owe. */
  Amount headroom() {
    return Amount.ofMinor(unit, headroom);
  }

  record Take(Grant grant, Amount amount) {}

  static ChargePlan of(
      AccountSnapshot snapshot, Charge charge, Instant now, Comparator<Grant> order) {
    List<GrantBalance> live = snapshot.liveGrants();
    // Scope.covers(kind, itemCode) for every grant, with the item built once per plan, not once per
    // grant (a valid charge's item code is a valid ItemRef code: both check Identifiers).
    ItemRef item = new ItemRef(charge.kind(), charge.itemCode());
    long need = charge.amount().minor();
    List<Take> takes = new ArrayList<>(4);
    // What the eligible grants hold. Every eligible remainder is positive, so the sum overflows
    // (addExact) exactly when the total does, in whatever order it is added. It is asked only when
    // the grants do not cover the charge, and then every eligible grant was added.
    long eligibleSum = 0;
    if (live instanceof LiveGrants listed && listed.order() == order) {
      // The store keeps the grants in the grant order: walk them and stop once the charge is
      // covered, so the cost is that of the grants that pay, however many there are.
      for (int i = 0, n = listed.size(); i < n && need > 0; i++) {
        GrantBalance g = listed.inOrder(i);
        if (g.isAvailableAt(now) && covers(g.grant().scope(), charge.kind(), item)) {
          long remaining = g.remaining().minor();
          eligibleSum = Math.addExact(eligibleSum, remaining);
          long take = Math.min(need, remaining);
          // One grant paying the whole charge (the usual case) pays the charge's own amount.
          Amount paid =
              take == charge.amount().minor()
                  ? charge.amount()
                  : Amount.ofMinor(charge.amount().unit(), take);
          takes.add(new Take(g.grant(), paid));
          need -= take;
        }
      }
    } else {
      List<GrantBalance> eligible = new ArrayList<>(live.size());
      for (GrantBalance g : live) {
        if (g.isAvailableAt(now) && covers(g.grant().scope(), charge.kind(), item)) {
          eligible.add(g);
          eligibleSum = Math.addExact(eligibleSum, g.remaining().minor());
        }
      }
      if (!eligible.isEmpty()) {
        // Only the grants that pay need to be in order: a heap yields them one by one in the grant
        // order (a total order: the creation sequence breaks every tie), so a charge that the
        // first few grants cover does not sort the whole account.
        PriorityQueue<GrantBalance> inOrder =
            new PriorityQueue<>(eligible.size(), Comparator.comparing(GrantBalance::grant, order));
        inOrder.addAll(eligible);
        while (need > 0 && !inOrder.isEmpty()) {
          GrantBalance g = inOrder.poll();
          long take = Math.min(need, g.remaining().minor());
          takes.add(new Take(g.grant(), Amount.ofMinor(charge.amount().unit(), take)));
          need -= take;
        }
      }
    }
    OverdraftPolicy policy = snapshot.account().overdraftPolicy();
    long headroom =
        policy instanceof OverdraftPolicy.Limit limit
            ? Math.max(0, Math.addExact(limit.limit().minor(), snapshot.overdraft().minor()))
            : 0;
    long fromOverdraft = 0;
    long shortfall = 0;
    boolean rejected = false;
    if (need > 0) {
      if (policy instanceof OverdraftPolicy.Limit && need <= headroom) {
        fromOverdraft = need;
      } else {
        shortfall = need;
        rejected = !(policy instanceof OverdraftPolicy.Partial);
      }
    }
    return new ChargePlan(
        takes, charge.amount().unit(), fromOverdraft, shortfall, rejected, eligibleSum, headroom);
  }

  /** {@link Scope#covers}, with the charge's item built once. */
  private static boolean covers(Scope scope, ChargeKind kind, ItemRef item) {
    return scope.unrestricted() || scope.kinds().contains(kind) || scope.items().contains(item);
  }

  /** The paying side of this plan: each take off its grant, in order, then the overdraft. */
  List<Posting> debitPostings() {
    // Room for the overdraft and the counter the caller adds.
    List<Posting> postings = new ArrayList<>(takes.size() + 2);
    for (Take take : takes) {
      postings.add(Posting.of(LedgerAccount.grant(take.grant().id()), take.amount().negate()));
    }
    if (fromOverdraft > 0) {
      postings.add(
          Posting.of(
              LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT),
              Amount.ofMinor(unit, Math.negateExact(fromOverdraft))));
    }
    return postings;
  }

  /** Where the charged credit comes from, in taking order. */
  Lineage lineage() {
    List<Lineage.Source> sources = new ArrayList<>(takes.size() + 1);
    for (Take t : takes) {
      sources.add(new Lineage.Source(Optional.of(t.grant().id()), t.amount().minor()));
    }
    if (fromOverdraft > 0) {
      sources.add(new Lineage.Source(Optional.empty(), fromOverdraft));
    }
    return Lineage.of(sources);
  }

  /** {@code lineage().encode()}, printed straight from the takes. */
  String lineageText() {
    if (takes.size() == 1 && fromOverdraft == 0) {
      // The usual debit, one grant: one string of the exact size, no builder.
      Take t = takes.get(0);
      return t.amount().minor() + " GRANT " + t.grant().id().value();
    }
    StringBuilder b = new StringBuilder(32 * (takes.size() + 1));
    for (int i = 0, n = takes.size(); i < n; i++) {
      Take t = takes.get(i);
      if (i > 0) {
        b.append('\n');
      }
      b.append(t.amount().minor()).append(" GRANT ").append(t.grant().id().value());
    }
    if (fromOverdraft > 0) {
      if (!takes.isEmpty()) {
        b.append('\n');
      }
      b.append(fromOverdraft).append(" OVERDRAFT");
    }
    return b.toString();
  }

  /** What was charged: the grants' takes and the overdraft. */
  Amount charged(Amount requested) {
    return shortfall == 0 ? requested : requested.minus(shortfall());
  }
}
