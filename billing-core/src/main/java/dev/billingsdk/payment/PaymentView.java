package dev.billingsdk.payment;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import java.util.List;
import java.util.Optional;

/**
 * What the provider's API says about a checkout's payment: the only basis for a grant.
 *
 * @param purchaseRef the purchase id the checkout carries
 * @param amount what was paid (or is due), as the provider states it; compared with the purchase
 *     before anything is granted
 * @param paymentRef the provider's payment id, once there is one (refunds name it)
 * @param customer the provider's customer id, when there is one
 * @param savedPaymentMethod the payment method saved for off-session charges, if one was saved
 * @param refunds the refunds of the payment so far
 */
public record PaymentView(
    String checkoutRef,
    Optional<String> purchaseRef,
    PaymentStatus status,
    Optional<dev.billingsdk.money.Amount> amount,
    Optional<String> paymentRef,
    Optional<String> customer,
    Optional<String> savedPaymentMethod,
    List<ProviderRefund> refunds) {

  public PaymentView {
    Identifiers.check(checkoutRef, "checkoutRef");
    InvalidRequestException.requireNonNull(purchaseRef, "purchaseRef");
    InvalidRequestException.requireNonNull(status, "status");
    InvalidRequestException.requireNonNull(amount, "amount");
    InvalidRequestException.requireNonNull(paymentRef, "paymentRef");
    InvalidRequestException.requireNonNull(customer, "customer");
    InvalidRequestException.requireNonNull(savedPaymentMethod, "savedPaymentMethod");
    refunds = List.copyOf(InvalidRequestException.requireNonNull(refunds, "refunds"));
  }
}
