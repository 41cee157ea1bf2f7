package dev.billingsdk.credit;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;

/**
 * One line item of an invoice that credits may pay: its id on the invoice, its kind and item code
 * (which a grant's {@link Scope} matches on, as for a {@link Charge}) and a positive amount.
 *
 * @param id the line's id, unique within its invoice
 */
public record InvoiceLine(String id, ChargeKind kind, String itemCode, Amount amount) {

  public InvoiceLine {
    Identifiers.check(id, "id");
    InvalidRequestException.requireNonNull(kind, "kind");
    Identifiers.check(itemCode, "itemCode");
    InvalidRequestException.requireNonNull(amount, "amount");
    if (!amount.isPositive()) {
      throw new InvalidRequestException("amount", amount, "must be positive");
    }
  }

  public static InvoiceLine of(String id, ChargeKind kind, String itemCode, Amount amount) {
    return new InvoiceLine(id, kind, itemCode, amount);
  }

  /** A usage line for a meter. */
  public static InvoiceLine usage(String id, String meter, Amount amount) {
    return new InvoiceLine(id, ChargeKind.USAGE, meter, amount);
  }

  public static InvoiceLine fixedFee(String id, String itemCode, Amount amount) {
    return new InvoiceLine(id, ChargeKind.FIXED_FEE, itemCode, amount);
  }

  public static InvoiceLine licence(String id, String itemCode, Amount amount) {
    return new InvoiceLine(id, ChargeKind.LICENCE, itemCode, amount);
  }

  public static InvoiceLine addOn(String id, String itemCode, Amount amount) {
    return new InvoiceLine(id, ChargeKind.ADD_ON, itemCode, amount);
  }

  /** Whether a grant with {@code scope} may pay this line (rule 3). */
  public boolean isCoveredBy(Scope scope) {
    return scope.covers(kind, itemCode);
  }
}
