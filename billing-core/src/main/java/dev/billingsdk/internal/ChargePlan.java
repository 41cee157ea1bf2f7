package dev.billingsdk.internal;

import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.AccountSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How a charge would be paid from a snapshot: the pure decision, with no writes, shared by charge
 * and quote.
 *
 * @param takes grant and amount, in the order they pay
 * @param eligible what all eligible grants hold together
 * @param headroom what the overdraft policy still lets the account owe
 */
record ChargePlan(
    List<Take> takes,
    Amount fromOverdraft,
    Amount shortfall,
    boolean rejected,
    Amount eligible,
    Amount headroom) {

  record Take(Grant grant, Amount amount) {}

  static ChargePlan of(
      AccountSnapshot snapshot, Charge charge, Instant now, Comparator<Grant> order) {
    List<GrantBalance> eligible = new ArrayList<>();
    for (GrantBalance g : snapshot.liveGrants()) {
      if (g.canPay(charge.kind(), charge.itemCode(), now)) {
        eligible.add(g);
      }
    }
    eligible.sort(Comparator.comparing(GrantBalance::grant, order));
    long need = charge.amount().minor();
    long eligibleSum = 0;
    List<Take> takes = new ArrayList<>();
    for (GrantBalance g : eligible) {
      long remaining = g.remaining().minor();
      eligibleSum = Math.addExact(eligibleSum, remaining);
      if (need > 0) {
        long take = Math.min(need, remaining);
        takes.add(new Take(g.grant(), Amount.ofMinor(charge.amount().unit(), take)));
        need -= take;
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
    var unit = charge.amount().unit();
    return new ChargePlan(
        takes,
        Amount.ofMinor(unit, fromOverdraft),
        Amount.ofMinor(unit, shortfall),
        rejected,
        Amount.ofMinor(unit, eligibleSum),
        Amount.ofMinor(unit, headroom));
  }

  /** The paying side of this plan: each take off its grant, in order, then the overdraft. */
  List<Posting> debitPostings() {
    List<Posting> postings = new ArrayList<>();
    for (Take take : takes) {
      postings.add(Posting.of(LedgerAccount.grant(take.grant().id()), take.amount().negate()));
    }
    if (fromOverdraft.isPositive()) {
      postings.add(
          Posting.of(LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT), fromOverdraft.negate()));
    }
    return postings;
  }

  /** Where the charged credit comes from, in taking order. */
  Lineage lineage() {
    List<Lineage.Source> sources = new ArrayList<>();
    for (Take t : takes) {
      sources.add(new Lineage.Source(Optional.of(t.grant().id()), t.amount().minor()));
    }
    if (fromOverdraft.isPositive()) {
      sources.add(new Lineage.Source(Optional.empty(), fromOverdraft.minor()));
    }
    return Lineage.of(sources);
  }

  /** What was charged: the grants' takes and the overdraft. */
  Amount charged(Amount requested) {
    return requested.minus(shortfall);
  }
}
