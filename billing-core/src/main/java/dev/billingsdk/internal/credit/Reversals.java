package dev.billingsdk.internal.credit;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Restoration;
import dev.billingsdk.credit.ReversalLimitExceededException;
import dev.billingsdk.credit.ReversalResult;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.event.DebitReversed;
import dev.billingsdk.internal.ledger.Fingerprint;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.StoreRejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reversals of debits. A reversal reads the original debit's lineage and what earlier reversals
 * gave back, refuses more than is left, and gives credit back along the lineage, last taken first
 * ({@link Restorer}).
 */
final class Reversals {
  private final Writer w;
  private final BillingStore store;
  private final AccessPolicy access;
  private final Restorer restorer;

  Reversals(Writer writer, AccessPolicy access) {
    this.w = writer;
    this.store = writer.store;
    this.access = access;
    this.restorer = new Restorer(writer);
  }

  ReversalResult reverse(ReverseRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.REVERSE, r.tenant());
    String fingerprint =
        Fingerprint.of("reverse")
            .add("account", r.account())
            .add("original", r.original().value())
            .add("amount", r.amount().map(Amount::toString).orElse("all"))
            .add("actor", r.actor().id())
            .add("reason", r.reason())
            .digest();
    return w.write(
        r.tenant(),
        r.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> reversalResult(prior, true),
        (snapshot, now) -> {
          LedgerTransaction original = reversible(r.tenant(), r.account(), r.original());
          Lineage left = lineageLeft(original, Long.MAX_VALUE);
          var unit = snapshot.account().unit();
          Amount reversible = Amount.ofMinor(unit, left.total());
          if (r.amount().isPresent()) {
            Writer.requireUnit(snapshot.account(), r.amount().get());
          }
          Amount amount = r.amount().orElse(reversible);
          if (!amount.isPositive()) {
            throw new InvalidRequestException(
                "original", r.original(), "has nothing left to reverse");
          }
          if (amount.compareTo(reversible) > 0) {
            throw new ReversalLimitExceededException(r.original(), amount, reversible);
          }
          Restorer.Plan plan =
              restorer.restore(snapshot, left.suffix(amount.minor()), now, r.actor());
          List<Posting> postings = new ArrayList<>(plan.postings());
          postings.add(Posting.of(Writer.counter(LedgerAccount.Kind.CONSUMED), amount.negate()));
          LedgerTransaction t =
              w.transaction(
                  r.tenant(),
                  r.account(),
                  TransactionType.REVERSAL,
                  r.idempotencyKey(),
                  fingerprint,
                  r.actor(),
                  r.reason(),
                  now,
                  postings,
                  Map.of(
                      LedgerTransaction.REF_CORRECTS,
                      original.id().value(),
                      Lineage.REF,
                      plan.given().encode()));
          return new Writer.Decision<>(
              new LedgerWrite(
                      t, plan.restoredCreditGrant().stream().toList(), Set.of(), snapshot.version())
                  .withEvents(
                      List.of(
                          new DebitReversed(
                              Writer.eventId(t, "debit-reversed"),
                              t.tenant(),
                              t.account(),
                              now,
                              t.id(),
                              original.id(),
                              amount))),
              committed ->
                  new ReversalResult(
                      original.id(),
                      committed,
                      amount,
                      plan.restorations(),
                      reversible.minus(amount),
                      false));
        });
  }

  /** The original debit, checked to be one that can be reversed. */
  private LedgerTransaction reversible(TenantId tenant, AccountId account, TransactionId id) {
    LedgerTransaction original =
        store
            .findTransaction(tenant, id)
            .filter(t -> t.account().equals(account))
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        "original", id, "is not a transaction of account " + account));
    if (original.type() != TransactionType.USAGE_DEBIT
        && original.type() != TransactionType.CHARGE) {
      throw new InvalidRequestException(
          "original",
          id,
          "is a " + original.type() + " transaction; only usage debits and charges are reversed");
    }
    return original;
  }

  /**
   * What of the original's lineage is left to give back, counting the reversals recorded before
   * {@code beforeSequence}.
   */
  private Lineage lineageLeft(LedgerTransaction original, long beforeSequence) {
    long given = 0;
    for (LedgerTransaction c : store.corrections(original.tenant(), original.id())) {
      if (c.type() == TransactionType.REVERSAL && c.sequence() < beforeSequence) {
        given = Math.addExact(given, -c.minorOn(Writer.counter(LedgerAccount.Kind.CONSUMED)));
      }
    }
    return Lineage.ofDebit(original).minusFromEnd(given);
  }

  private ReversalResult reversalResult(LedgerTransaction t, boolean replayed) {
    TransactionId originalId =
        t.corrects()
            .orElseThrow(
                () -> new StoreRejectedException("reversal " + t.id() + " names no original"));
    LedgerTransaction original =
        store
            .findTransaction(t.tenant(), originalId)
            .orElseThrow(
                () -> new StoreRejectedException("reversal " + t.id() + " lost its original"));
    var unit = original.postings().get(0).amount().unit();
    Amount amount = Amount.ofMinor(unit, -t.minorOn(Writer.counter(LedgerAccount.Kind.CONSUMED)));
    Amount remaining = Amount.ofMinor(unit, lineageLeft(original, t.sequence() + 1).total());
    return new ReversalResult(originalId, t, amount, restorationsOf(t), remaining, replayed);
  }

  /** Reads the restorations back from a transaction the {@link Restorer} wrote. */
  static List<Restoration> restorationsOf(LedgerTransaction t) {
    List<Restoration> out = new ArrayList<>();
    List<Posting> ps = t.postings();
    for (int i = 0; i < ps.size(); i++) {
      Posting p = ps.get(i);
      Amount zero = Amount.zero(p.amount().unit());
      if (p.account().kind() == LedgerAccount.Kind.OVERDRAFT && p.amount().isPositive()) {
        out.add(new Restoration(Optional.empty(), p.amount(), zero, zero));
      } else if (p.account().isGrant() && p.amount().isPositive()) {
        Amount expired = zero;
        Amount voided = zero;
        if (i + 2 < ps.size()
            && ps.get(i + 1).account().equals(p.account())
            && ps.get(i + 1).amount().equals(p.amount().negate())) {
          LedgerAccount.Kind where = ps.get(i + 2).account().kind();
          expired = where == LedgerAccount.Kind.EXPIRED ? p.amount() : zero;
          voided = where == LedgerAccount.Kind.VOIDED ? p.amount() : zero;
          i += 2;
        }
        out.add(new Restoration(Optional.of(p.account().grant()), p.amount(), expired, voided));
      }
    }
    return out;
  }
}
