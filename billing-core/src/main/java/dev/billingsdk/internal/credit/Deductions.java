package dev.billingsdk.internal.credit;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.DeductRequest;
import dev.billingsdk.credit.DeductResult;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.event.CreditsDeducted;
import dev.billingsdk.internal.ledger.Fingerprint;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.StoreRejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deductions by category: an administrator takes an amount out of the account's available grants of
 * one category, in the grant order, in one MANUAL_ADJUSTMENT transaction that posts the grants down
 * and VOIDED up. The credit leaves the account as a void does: it is neither consumption nor
 * revenue. A deduction never reaches into other categories or the overdraft: when the category
 * holds less than the amount, it is refused and nothing is written.
 */
final class Deductions {
  /** The reference naming the category a MANUAL_ADJUSTMENT deducted from. */
  static final String REF_CATEGORY = "billing.deduct.category";

  private final Writer w;
  private final AccessPolicy access;

  Deductions(Writer writer, AccessPolicy access) {
    this.w = writer;
    this.access = access;
  }

  DeductResult deduct(DeductRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.DEDUCT_CREDITS, r.tenant());
    String fingerprint =
        Fingerprint.of("deduct")
            .add("account", r.account())
            .add("category", r.category())
            .add("amount", r.amount())
            .add("scale", r.amount().unit().scale())
            .add("actor", r.actor().id())
            .add("reason", r.reason())
            .digest();
    return w.write(
        r.tenant(),
        r.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> result(prior, true),
        (snapshot, now) -> {
          Writer.requireUnit(snapshot.account(), r.amount());
          List<GrantBalance> inCategory = new ArrayList<>();
          long available = 0;
          for (GrantBalance g : snapshot.liveGrants()) {
            if (g.grant().category().equals(r.category()) && g.isAvailableAt(now)) {
              inCategory.add(g);
              available = Math.addExact(available, g.remaining().minor());
            }
          }
          var unit = r.amount().unit();
          if (available < r.amount().minor()) {
            throw new InsufficientCreditException(
                r.tenant(), r.account(), r.amount(), Amount.ofMinor(unit, available), r.category());
          }
          inCategory.sort((a, b) -> w.order.compare(a.grant(), b.grant()));
          long left = r.amount().minor();
          List<Posting> postings = new ArrayList<>();
          List<Allocation> taken = new ArrayList<>();
          for (GrantBalance g : inCategory) {
            long take = Math.min(left, g.remaining().minor());
            if (take > 0) {
              Amount part = Amount.ofMinor(unit, take);
              postings.add(Posting.of(LedgerAccount.grant(g.grant().id()), part.negate()));
              taken.add(Allocation.of(g.grant(), part));
              left -= take;
            }
          }
          postings.add(Posting.of(Writer.counter(LedgerAccount.Kind.VOIDED), r.amount()));
          LedgerTransaction t =
              w.transaction(
                  r.tenant(),
                  r.account(),
                  TransactionType.MANUAL_ADJUSTMENT,
                  r.idempotencyKey(),
                  fingerprint,
                  r.actor(),
                  r.reason(),
                  now,
                  postings,
                  Map.of(REF_CATEGORY, r.category().code()));
          return new Writer.Decision<>(
              new LedgerWrite(t, List.of(), Set.of(), snapshot.version())
                  .withEvents(
                      List.of(
                          new CreditsDeducted(
                              Writer.eventId(t, "credits-deducted"),
                              t.tenant(),
                              t.account(),
                              now,
                              r.category(),
                              r.amount(),
                              t.id()))),
              committed -> new DeductResult(committed, r.amount(), taken, false));
        });
  }

  /** The result of a deduction read back from its transaction (a replay). */
  private DeductResult result(LedgerTransaction t, boolean replayed) {
    TenantId tenant = t.tenant();
    List<Allocation> taken = new ArrayList<>();
    for (Posting p : t.postings()) {
      if (p.account().isGrant()) {
        GrantBalance g =
            w.store
                .findGrant(tenant, p.account().grant())
                .orElseThrow(
                    () ->
                        new StoreRejectedException(
                            "transaction " + t.id() + " names an unknown grant"));
        taken.add(Allocation.of(g.grant(), p.amount().negate()));
      }
    }
    Amount deducted =
        t.postings().stream()
            .filter(p -> p.account().equals(Writer.counter(LedgerAccount.Kind.VOIDED)))
            .map(Posting::amount)
            .findFirst()
            .orElseThrow(
                () ->
                    new StoreRejectedException(
                        "MANUAL_ADJUSTMENT " + t.id() + " posts nothing to VOIDED"));
    return new DeductResult(t, deducted, taken, replayed);
  }
}
