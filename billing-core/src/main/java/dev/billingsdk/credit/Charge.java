package dev.billingsdk.credit;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;

/** Something to pay: its kind and item code (which scopes match on) and a positive amount. */
public record Charge(ChargeKind kind, String itemCode, Amount amount) {

  public Charge {
    InvalidRequestException.requireNonNull(kind, "kind");
    Identifiers.check(itemCode, "itemCode");
    InvalidRequestException.requireNonNull(amount, "amount");
    if (!amount.isPositive()) {
      throw new InvalidRequestException("amount", amount, "must be positive");
    }
  }

  public static Charge usage(String meter, Amount amount) {
    return new Charge(ChargeKind.USAGE, meter, amount);
  }

  public static Charge of(ChargeKind kind, String itemCode, Amount amount) {
    return new Charge(kind, itemCode, amount);
  }
}
