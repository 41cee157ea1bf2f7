package dev.billingsdk.purchase;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.payment.ProviderRefund;

/**
 * A refund made: the provider's refund, the purchase after it, and the credit it took back (and,
 * for a refund the library could not refuse, what it could not take back).
 */
public record RefundOutcome(
    Purchase purchase, ProviderRefund refund, Amount creditsTaken, Amount creditsUnrecovered) {

  public RefundOutcome {
    InvalidRequestException.requireNonNull(purchase, "purchase");
    InvalidRequestException.requireNonNull(refund, "refund");
    InvalidRequestException.requireNonNull(creditsTaken, "creditsTaken");
    InvalidRequestException.requireNonNull(creditsUnrecovered, "creditsUnrecovered");
  }
}
