package dev.billingsdk.payment;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import java.util.Optional;

/**
 * Which payment to read from the provider: the checkout's reference and, when an event named it,
 * the provider's payment id (Flutterwave verifies by transaction id).
 */
public record PaymentLookup(String checkoutRef, Optional<String> paymentRef) {

  public PaymentLookup {
    Identifiers.check(checkoutRef, "checkoutRef");
    InvalidRequestException.requireNonNull(paymentRef, "paymentRef");
    paymentRef.ifPresent(r -> Identifiers.check(r, "paymentRef"));
  }

  public static PaymentLookup of(String checkoutRef, Optional<String> paymentRef) {
    return new PaymentLookup(checkoutRef, paymentRef);
  }
}
