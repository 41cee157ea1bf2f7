package dev.billingsdk.internal.credit;

import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantNotFoundException;
import dev.billingsdk.credit.Restoration;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.AccountSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives credit back along a lineage, last taken first: to each grant it came from (keeping the
 * grant's category, priority and expiry, because it is the same grant), and to the overdraft by
 * reducing the debt. Credit given back to a grant that has expired meanwhile expires at once, and
 * to a voided grant is voided at once; both movements are postings of the same transaction. Credit
 * that came from the overdraft when the debt has since been repaid by a grant cannot reduce a debt
 * that is gone: it becomes a new ADJUSTMENT grant ("restored credit"), so nothing is lost.
 */
final class Restorer {
  private final Writer w;

  Restorer(Writer writer) {
    this.w = writer;
  }

  /**
   * @param postings the grant and overdraft side of the restoration (the caller posts the
   *     counterpart: CONSUMED for a reversal, RESERVED for a release)
   * @param given what was given back, as a lineage in the order it was given (last taken first)
   */
  record Plan(
      List<Posting> postings,
      List<Restoration> restorations,
      Optional<Grant> restoredCreditGrant,
      Lineage given) {}

  Plan restore(AccountSnapshot snapshot, Lineage lineage, Instant now, Actor actor) {
    Unit unit = snapshot.account().unit();
    List<Posting> postings = new ArrayList<>();
    List<Restoration> restorations = new ArrayList<>();
    List<Lineage.Source> given = new ArrayList<>();
    long owed = -snapshot.overdraft().minor();
    long excess = 0;
    List<Lineage.Source> sources = lineage.sources();
    for (int i = sources.size() - 1; i >= 0; i--) {
      Lineage.Source s = sources.get(i);
      if (s.minor() == 0) {
        continue;
      }
      Amount x = Amount.ofMinor(unit, s.minor());
      given.add(s);
      if (s.grant().isEmpty()) {
        long repay = Math.min(owed, s.minor());
        if (repay > 0) {
          postings.add(
              Posting.of(Writer.counter(LedgerAccount.Kind.OVERDRAFT), amount(unit, repay)));
          owed -= repay;
        }
        excess = Math.addExact(excess, s.minor() - repay);
        restorations.add(
            new Restoration(
                Optional.empty(), amount(unit, repay), Amount.zero(unit), Amount.zero(unit)));
        continue;
      }
      GrantId id = s.grant().get();
      GrantBalance g =
          w.store
              .findGrant(snapshot.account().tenant(), id)
              .orElseThrow(
                  () ->
                      new GrantNotFoundException(
                          snapshot.account().tenant(), snapshot.account().id(), id));
      postings.add(Posting.of(LedgerAccount.grant(id), x));
      Amount expired = Amount.zero(unit);
      Amount voided = Amount.zero(unit);
      if (g.voided()) {
        postings.add(Posting.of(LedgerAccount.grant(id), x.negate()));
        postings.add(Posting.of(Writer.counter(LedgerAccount.Kind.VOIDED), x));
        voided = x;
      } else if (g.grant().expiresAt().map(e -> !now.isBefore(e)).orElse(false)) {
        postings.add(Posting.of(LedgerAccount.grant(id), x.negate()));
        postings.add(Posting.of(Writer.counter(LedgerAccount.Kind.EXPIRED), x));
        expired = x;
      }
      restorations.add(new Restoration(Optional.of(id), x, expired, voided));
    }
    Optional<Grant> restoredCredit = Optional.empty();
    if (excess > 0) {
      Amount x = amount(unit, excess);
      Grant grant =
          new Grant(
              GrantId.of(w.ids.next("grt_")),
              snapshot.account().tenant(),
              snapshot.account().id(),
              "Restored credit",
              GrantCategory.ADJUSTMENT,
              50,
              x,
              now,
              Optional.empty(),
              Scope.everything(),
              CostBasis.free(),
              Map.of(),
              actor,
              now,
              w.store.nextSequence());
      postings.add(Posting.of(LedgerAccount.grant(grant.id()), x));
      restorations.add(
          new Restoration(Optional.of(grant.id()), x, Amount.zero(unit), Amount.zero(unit)));
      restoredCredit = Optional.of(grant);
    }
    return new Plan(postings, restorations, restoredCredit, Lineage.of(given));
  }

  private static Amount amount(Unit unit, long minor) {
    return Amount.ofMinor(unit, minor);
  }
}
