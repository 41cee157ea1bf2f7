package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Unit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the account's credits to an invoice, once per idempotency key: the account's grants pay
 * the lines their scopes cover, in the grant order. The lines must be non-empty, have unique ids
 * and all be in one unit (which must be the account's unit).
 *
 * <p>The key guards this request, not the invoice: a host that wants credits applied to an invoice
 * at most once derives the key from the invoice id (e.g. {@code "invoice-credits:" + invoice}).
 *
 * @param invoice the invoice's id, recorded on the ledger transaction
 * @param lines the invoice's line items, in the order credits pay them
 */
public record InvoiceCreditRequest(
    TenantId tenant,
    AccountId account,
    String invoice,
    List<InvoiceLine> lines,
    IdempotencyKey idempotencyKey,
    Actor actor,
    String reason) {

  /** The most lines one request may carry. */
  public static final int MAX_LINES = 1000;

  public InvoiceCreditRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    Identifiers.check(invoice, "invoice");
    InvalidRequestException.requireNonNull(lines, "lines");
    if (lines.isEmpty()) {
      throw new InvalidRequestException("lines", "[]", "must not be empty");
    }
    if (lines.size() > MAX_LINES) {
      throw new InvalidRequestException(
          "lines", lines.size() + " lines", "must be at most " + MAX_LINES);
    }
    List<InvoiceLine> copy = new ArrayList<>(lines.size());
    Map<String, Integer> seen = new HashMap<>();
    Unit unit = null;
    long total = 0;
    for (int i = 0; i < lines.size(); i++) {
      InvoiceLine line = lines.get(i);
      InvalidRequestException.requireNonNull(line, "lines[" + i + "]");
      Integer first = seen.putIfAbsent(line.id(), i);
      if (first != null) {
        throw new InvalidRequestException(
            "lines[" + i + "].id", line.id(), "repeats the id of lines[" + first + "]");
      }
      if (unit == null) {
        unit = line.amount().unit();
      } else if (!unit.equals(line.amount().unit())) {
        throw new InvalidRequestException(
            "lines[" + i + "].amount",
            line.amount(),
            "must be in " + unit.code() + " like lines[0]: one invoice, one unit");
      }
      try {
        total = Math.addExact(total, line.amount().minor());
      } catch (ArithmeticException e) {
        throw new InvalidRequestException(
            "lines", lines.size() + " lines", "add up to more than an amount can hold");
      }
      copy.add(line);
    }
    lines = List.copyOf(copy);
    InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey");
    InvalidRequestException.requireNonNull(actor, "actor");
    InvalidRequestException.requireText(reason, "reason");
  }

  public static InvoiceCreditRequest of(
      TenantId tenant,
      AccountId account,
      String invoice,
      List<InvoiceLine> lines,
      IdempotencyKey key,
      Actor actor,
      String reason) {
    return new InvoiceCreditRequest(tenant, account, invoice, lines, key, actor, reason);
  }

  /** The unit of every line. */
  public Unit unit() {
    return lines.get(0).amount().unit();
  }

  /** What the invoice's lines add up to. */
  public Amount total() {
    Amount sum = Amount.zero(unit());
    for (InvoiceLine l : lines) {
      sum = sum.plus(l.amount());
    }
    return sum;
  }
}
