package dev.billingsdk.payment;

import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;

/** A refund to ask the provider for: of which payment, how much, under which idempotency key. */
public record RefundCall(String paymentRef, Amount amount, IdempotencyKey idempotencyKey) {

  public RefundCall {
    Identifiers.check(paymentRef, "paymentRef");
    InvalidRequestException.requireNonNull(amount, "amount");
    if (!amount.isPositive()) {
      throw new InvalidRequestException("amount", amount, "must be positive");
    }
    InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey");
  }

  public static RefundCall of(String paymentRef, Amount amount, IdempotencyKey key) {
    return new RefundCall(paymentRef, amount, key);
  }
}
