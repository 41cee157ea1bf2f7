package dev.billingsdk.internal.credit;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.GrantId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.InvoiceAlreadyCreditedException;
import dev.billingsdk.credit.InvoiceCreditRequest;
import dev.billingsdk.credit.InvoiceCreditResult;
import dev.billingsdk.credit.InvoiceCredits;
import dev.billingsdk.credit.InvoiceLine;
import dev.billingsdk.event.InvoiceCreditsApplied;
import dev.billingsdk.internal.ledger.Fingerprint;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.StoreRejectedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Credits applied to an invoice. The account's available grants, in the grant order, each pay the
 * lines their scope covers, in line order, while they have credit left and the line has something
 * due; what no grant can pay stays due (no overdraft). The outcome is one CHARGE transaction: a
 * negative posting per grant that paid, one positive CONSUMED posting for the total applied, and
 * these references:
 *
 * <ul>
 *   <li>{@code billing.invoice}: the invoice id;
 *   <li>{@code billing.invoiceLines}: what each grant paid of each line, one take per text line,
 *       {@code <line index> <minor> <grant id>}, in paying order (the line index is the line's
 *       position in the request; grant ids hold no line breaks, so the text is unambiguous). A
 *       replay reads the per-line result back from it exactly;
 *   <li>{@code billing.lineage}: where the credit came from, grant by grant in paying order, so
 *       that {@code Credits.reverse} gives it back, last taken first.
 * </ul>
 */
public final class InvoiceCreditService implements InvoiceCredits {
  static final String REF_INVOICE = LedgerTransaction.REF_INVOICE;
  static final String REF_INVOICE_LINES = "billing.invoiceLines";

  private final Writer w;
  private final AccessPolicy access;

  public InvoiceCreditService(Writer writer, AccessPolicy access) {
    this.w = writer;
    this.access = access;
  }

  /** What one grant paid of one line. */
  record Take(int line, Grant grant, long minor) {}

  @Override
  public InvoiceCreditResult apply(InvoiceCreditRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.APPLY_INVOICE_CREDITS, r.tenant());
    String fingerprint = fingerprint(r);
    return w.write(
        r.tenant(),
        r.account(),
        r.idempotencyKey(),
        fingerprint,
        prior -> replay(r, prior),
        (snapshot, now) -> {
          // Read on the snapshot's version: an application committed since moved the account on,
          // so this write would be a version conflict, decided again, and refused here.
          requireNoStandingApplication(r);
          List<Take> takes = plan(r, snapshot, now);
          if (takes.isEmpty()) {
            // Nothing to record: no empty transaction, and the key stays free for a later try.
            return Writer.Decision.answered(result(r, takes, Optional.empty(), false));
          }
          Unit unit = r.unit();
          List<Posting> postings = new ArrayList<>();
          List<Lineage.Source> sources = new ArrayList<>();
          long applied = 0;
          for (int i = 0; i < takes.size(); ) {
            GrantId grant = takes.get(i).grant().id();
            long fromGrant = 0;
            for (; i < takes.size() && takes.get(i).grant().id().equals(grant); i++) {
              fromGrant = Math.addExact(fromGrant, takes.get(i).minor());
            }
            postings.add(
                Posting.of(LedgerAccount.grant(grant), Amount.ofMinor(unit, fromGrant).negate()));
            sources.add(new Lineage.Source(Optional.of(grant), fromGrant));
            applied = Math.addExact(applied, fromGrant);
          }
          postings.add(
              Posting.of(
                  Writer.counter(LedgerAccount.Kind.CONSUMED), Amount.ofMinor(unit, applied)));
          Map<String, String> refs = new HashMap<>();
          refs.put(REF_INVOICE, r.invoice());
          refs.put(REF_INVOICE_LINES, encode(takes));
          refs.put(Lineage.REF, Lineage.of(sources).encode());
          LedgerTransaction t =
              w.transaction(
                  r.tenant(),
                  r.account(),
                  TransactionType.CHARGE,
                  r.idempotencyKey(),
                  fingerprint,
                  r.actor(),
                  r.reason(),
                  now,
                  postings,
                  refs);
          InvoiceCreditResult planned = result(r, takes, Optional.of(t), false);
          return new Writer.Decision<>(
              LedgerWrite.of(t, snapshot.version())
                  .withEvents(
                      List.of(
                          new InvoiceCreditsApplied(
                              Writer.eventId(t, "invoice-credits-applied"),
                              t.tenant(),
                              t.account(),
                              now,
                              r.invoice(),
                              t.id(),
                              planned.applied(),
                              planned.due()))),
              committed -> result(r, takes, Optional.of(committed), false));
        });
  }

  @Override
  public InvoiceCreditResult preview(InvoiceCreditRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    String fingerprint = fingerprint(r);
    Optional<LedgerTransaction> prior = w.store.findTransaction(r.tenant(), r.idempotencyKey());
    if (prior.isPresent()) {
      if (!prior.get().fingerprint().equals(fingerprint)) {
        throw new IdempotencyConflictException(r.tenant(), r.idempotencyKey(), prior.get().id());
      }
      return replay(r, prior.get());
    }
    AccountSnapshot snapshot = w.snapshot(r.tenant(), r.account());
    requireNoStandingApplication(r);
    return result(r, plan(r, snapshot, w.clock.instant()), Optional.empty(), false);
  }

  /**
   * Refuses the request if an earlier application of the account's credits to the same invoice
   * still stands: one not yet reversed in full. An invoice is credited at most once, whatever key
   * the request carries; a full reversal frees it (a corrected invoice is credited again).
   */
  private void requireNoStandingApplication(InvoiceCreditRequest r) {
    for (LedgerTransaction prior :
        w.store.invoiceApplications(r.tenant(), r.account(), r.invoice())) {
      if (!prior.account().equals(r.account())
          || !r.invoice().equals(prior.references().get(REF_INVOICE))) {
        continue; // a store that compares loosely; only this very invoice counts
      }
      long applied = prior.minorOn(Writer.counter(LedgerAccount.Kind.CONSUMED));
      long given = 0;
      for (LedgerTransaction c : w.store.corrections(r.tenant(), prior.id())) {
        if (c.type() == TransactionType.REVERSAL) {
          given = Math.addExact(given, -c.minorOn(Writer.counter(LedgerAccount.Kind.CONSUMED)));
        }
      }
      if (given < applied) {
        throw new InvoiceAlreadyCreditedException(r.tenant(), r.account(), r.invoice(), prior.id());
      }
    }
  }

  private static String fingerprint(InvoiceCreditRequest r) {
    Fingerprint f =
        Fingerprint.of("invoice-credits")
            .add("account", r.account())
            .add("invoice", r.invoice())
            .add("scale", r.unit().scale())
            .add("lines", r.lines().size());
    for (InvoiceLine l : r.lines()) {
      f.add("line.id", l.id())
          .add("line.kind", l.kind())
          .add("line.item", l.itemCode())
          .add("line.amount", l.amount());
    }
    return f.add("actor", r.actor().id()).add("reason", r.reason()).digest();
  }

  /**
   * The pure decision: grants available now, in the grant order, each paying the lines its scope
   * covers in line order.
   */
  private List<Take> plan(InvoiceCreditRequest r, AccountSnapshot snapshot, Instant now) {
    Writer.requireUnit(snapshot.account(), r.lines().get(0).amount());
    List<GrantBalance> grants = new ArrayList<>();
    for (GrantBalance g : snapshot.liveGrants()) {
      if (g.isAvailableAt(now)) {
        grants.add(g);
      }
    }
    grants.sort(Comparator.comparing(GrantBalance::grant, w.order));
    List<InvoiceLine> lines = r.lines();
    long[] due = new long[lines.size()];
    for (int i = 0; i < due.length; i++) {
      due[i] = lines.get(i).amount().minor();
    }
    List<Take> takes = new ArrayList<>();
    for (GrantBalance g : grants) {
      long left = g.remaining().minor();
      for (int i = 0; i < due.length && left > 0; i++) {
        InvoiceLine line = lines.get(i);
        if (due[i] > 0 && g.canPay(line.kind(), line.itemCode(), now)) {
          long take = Math.min(left, due[i]);
          takes.add(new Take(i, g.grant(), take));
          due[i] -= take;
          left -= take;
        }
      }
    }
    return takes;
  }

  private static InvoiceCreditResult result(
      InvoiceCreditRequest r,
      List<Take> takes,
      Optional<LedgerTransaction> transaction,
      boolean replayed) {
    Unit unit = r.unit();
    List<List<Allocation>> applied = new ArrayList<>();
    long[] due = new long[r.lines().size()];
    for (int i = 0; i < due.length; i++) {
      applied.add(new ArrayList<>());
      due[i] = r.lines().get(i).amount().minor();
    }
    for (Take t : takes) {
      applied.get(t.line()).add(Allocation.of(t.grant(), Amount.ofMinor(unit, t.minor())));
      due[t.line()] -= t.minor();
    }
    List<InvoiceCreditResult.LineCredit> lines = new ArrayList<>();
    long totalDue = 0;
    for (int i = 0; i < due.length; i++) {
      lines.add(
          new InvoiceCreditResult.LineCredit(
              r.lines().get(i), applied.get(i), Amount.ofMinor(unit, due[i])));
      totalDue = Math.addExact(totalDue, due[i]);
    }
    Amount total = r.total();
    Amount dueAmount = Amount.ofMinor(unit, totalDue);
    return new InvoiceCreditResult(
        r.invoice(), lines, total, total.minus(dueAmount), dueAmount, transaction, replayed);
  }

  // ---------------------------------------------------------------- replay

  /** The original result, read back from the transaction the same request wrote. */
  private InvoiceCreditResult replay(InvoiceCreditRequest r, LedgerTransaction prior) {
    String text = prior.references().get(REF_INVOICE_LINES);
    if (text == null) {
      throw new StoreRejectedException("transaction " + prior.id() + " has no invoice lines");
    }
    Map<GrantId, Grant> grants = new HashMap<>();
    Function<GrantId, Grant> lookup =
        id ->
            grants.computeIfAbsent(
                id,
                g ->
                    w.store
                        .findGrant(prior.tenant(), g)
                        .map(GrantBalance::grant)
                        .orElseThrow(
                            () ->
                                new StoreRejectedException(
                                    "transaction " + prior.id() + " names unknown grant " + g)));
    List<Take> takes = decode(prior, text, r.lines().size(), lookup);
    long applied = takes.stream().mapToLong(Take::minor).reduce(0, Math::addExact);
    if (applied != prior.minorOn(Writer.counter(LedgerAccount.Kind.CONSUMED))) {
      throw new StoreRejectedException(
          "transaction " + prior.id() + ": invoice lines do not add up to what was consumed");
    }
    return result(r, takes, Optional.of(prior), true);
  }

  static String encode(List<Take> takes) {
    StringBuilder b = new StringBuilder();
    for (Take t : takes) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(t.line()).append(' ').append(t.minor()).append(' ').append(t.grant().id().value());
    }
    return b.toString();
  }

  private static List<Take> decode(
      LedgerTransaction t, String text, int lineCount, Function<GrantId, Grant> grants) {
    List<Take> takes = new ArrayList<>();
    for (String row : text.split("\n", -1)) {
      int first = row.indexOf(' ');
      int second = first < 0 ? -1 : row.indexOf(' ', first + 1);
      if (second < 0) {
        throw new StoreRejectedException(
            "transaction " + t.id() + ": unreadable invoice line " + row);
      }
      int line;
      long minor;
      try {
        line = Integer.parseInt(row.substring(0, first));
        minor = Long.parseLong(row.substring(first + 1, second));
      } catch (NumberFormatException e) {
        throw new StoreRejectedException(
            "transaction " + t.id() + ": unreadable invoice line " + row);
      }
      if (line < 0 || line >= lineCount || minor <= 0) {
        throw new StoreRejectedException(
            "transaction " + t.id() + ": invoice line out of range " + row);
      }
      takes.add(new Take(line, grants.apply(GrantId.of(row.substring(second + 1))), minor));
    }
    return takes;
  }
}
