package dev.billingsdk.credit;

import dev.billingsdk.GrantId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What credits paid of an invoice: per line, which grants paid how much and what is still due; and
 * the invoice's totals. {@code total = applied + due}, on every line and for the invoice.
 *
 * @param lines one entry per invoice line, in the request's order
 * @param transaction the one CHARGE transaction that recorded the credits applied; empty for a
 *     {@linkplain InvoiceCredits#preview preview} and when no credit could pay anything (then
 *     nothing was written and the idempotency key is still unused)
 * @param replayed true when the idempotency key had been used for this same request before and this
 *     is the original outcome, read back from the ledger, not a new write
 */
public record InvoiceCreditResult(
    String invoice,
    List<LineCredit> lines,
    Amount total,
    Amount applied,
    Amount due,
    Optional<LedgerTransaction> transaction,
    boolean replayed) {

  /**
   * One invoice line and what credits paid of it.
   *
   * @param applied what each grant paid of this line, in the order they paid
   * @param due what is still to be paid: the line's amount minus what was applied
   */
  public record LineCredit(InvoiceLine line, List<Allocation> applied, Amount due) {

    public LineCredit {
      InvalidRequestException.requireNonNull(line, "line");
      InvalidRequestException.requireNonNull(applied, "applied");
      InvalidRequestException.requireNonNull(due, "due");
      applied = List.copyOf(applied);
      Amount paid = Amount.zero(line.amount().unit());
      for (Allocation a : applied) {
        if (!a.amount().isPositive()) {
          throw new InvalidRequestException("applied", a.amount(), "must be positive");
        }
        paid = paid.plus(a.amount());
      }
      if (due.isNegative() || !paid.plus(due).equals(line.amount())) {
        throw new InvalidRequestException(
            "due", due, "must be the line's amount " + line.amount() + " minus " + paid);
      }
    }

    /** What credits paid of this line. */
    public Amount paid() {
      return line.amount().minus(due);
    }
  }

  public InvoiceCreditResult {
    InvalidRequestException.requireNonNull(invoice, "invoice");
    InvalidRequestException.requireNonNull(lines, "lines");
    InvalidRequestException.requireNonNull(total, "total");
    InvalidRequestException.requireNonNull(applied, "applied");
    InvalidRequestException.requireNonNull(due, "due");
    InvalidRequestException.requireNonNull(transaction, "transaction");
    lines = List.copyOf(lines);
    Amount sumTotal = Amount.zero(total.unit());
    Amount sumDue = Amount.zero(total.unit());
    for (LineCredit l : lines) {
      sumTotal = sumTotal.plus(l.line().amount());
      sumDue = sumDue.plus(l.due());
    }
    if (!sumTotal.equals(total)) {
      throw new InvalidRequestException("total", total, "must be the lines' sum " + sumTotal);
    }
    if (!sumDue.equals(due)) {
      throw new InvalidRequestException("due", due, "must be the lines' sum " + sumDue);
    }
    if (!total.minus(due).equals(applied)) {
      throw new InvalidRequestException("applied", applied, "must be total minus due");
    }
  }

  /** The entry for the line with this id. */
  public LineCredit line(String id) {
    return lines.stream()
        .filter(l -> l.line().id().equals(id))
        .findFirst()
        .orElseThrow(() -> new InvalidRequestException("line", id, "is not on " + invoice));
  }

  /**
   * What each grant paid of the whole invoice, keyed in the order the grants first appear when the
   * lines are read in order.
   */
  public Map<GrantId, Amount> appliedByGrant() {
    Map<GrantId, Amount> byGrant = new LinkedHashMap<>();
    for (LineCredit l : lines) {
      for (Allocation a : l.applied()) {
        byGrant.merge(a.grant(), a.amount(), Amount::plus);
      }
    }
    return byGrant;
  }
}
