package dev.billingsdk.payment;

import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;

/**
 * A charge of a saved payment method without the customer present (auto-top-up).
 *
 * @param customer the provider's customer id the method belongs to
 * @param paymentMethod the saved method's provider id
 * @param purchaseRef the purchase the charge pays for, carried in the provider's metadata
 */
public record OffSessionCharge(
    String customer,
    String paymentMethod,
    Amount amount,
    String purchaseRef,
    String description,
    IdempotencyKey idempotencyKey) {

  public OffSessionCharge {
    Identifiers.check(customer, "customer");
    Identifiers.check(paymentMethod, "paymentMethod");
    InvalidRequestException.requireNonNull(amount, "amount");
    if (!(amount.unit() instanceof CurrencyUnit) || !amount.isPositive()) {
      throw new InvalidRequestException(
          "amount", amount, "must be a positive amount of an ISO 4217 currency");
    }
    Identifiers.check(purchaseRef, "purchaseRef");
    InputContract.nonBlankText(description, "description", 200);
    InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey");
  }
}
