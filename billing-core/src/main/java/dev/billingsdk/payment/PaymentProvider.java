package dev.billingsdk.payment;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a payment provider adapter does for the library, in provider-neutral types. billing-core
 * holds no HTTP: an adapter (billing-stripe, billing-flutterwave) turns these calls into its
 * provider's API and its answers and webhooks back into these types. Every call that moves money
 * carries an idempotency key, which the adapter sends so that a retried call is applied once.
 *
 * <p>A webhook's content is never trusted alone: the library verifies it ({@link #verifyWebhook}),
 * then asks the provider for its view of the payment ({@link #fetchPayment}) before granting.
 */
public interface PaymentProvider {

  /** The adapter's name, lower case, e.g. {@code stripe}; stored with purchases and events. */
  String name();

  /**
   * Creates a hosted checkout for one purchase: the page the buyer is sent to.
   *
   * @throws PaymentProviderException if the provider refused or could not be reached
   * @throws AmountNotRepresentableException if the provider cannot take the amount exactly
   */
  CheckoutSession createCheckout(CheckoutRequest request);

  /**
   * Checks a webhook delivery (signature, timestamp, format) from its raw body bytes and headers
   * (names in any case) and reads it.
   *
   * @throws WebhookRejectedException if it does not pass; nothing may be stored then
   */
  ProviderEvent verifyWebhook(byte[] body, Map<String, List<String>> headers);

  /** The provider's own view of a checkout's payment, read from its API. */
  PaymentView fetchPayment(PaymentLookup lookup);

  /**
   * Reads the query parameters the provider puts on the return (success) URL when it sends the
   * buyer back: which payment to look up. Nothing else in them is believed (a status parameter is
   * the buyer's to edit); the library then calls {@link #fetchPayment} as for a webhook.
   *
   * @param query the return URL's query parameters, decoded, names as sent
   * @return the payment they name, or empty when they name none (a canceled checkout may carry no
   *     reference)
   */
  Optional<PaymentLookup> readReturn(Map<String, List<String>> query);

  /**
   * Charges a saved payment method without the customer present (auto-top-up). An answer that the
   * customer must authenticate (SCA / 3-D Secure) is an outcome, not an exception.
   */
  OffSessionOutcome chargeOffSession(OffSessionCharge charge);

  /**
   * The provider's own view of a payment made by {@link #chargeOffSession}, read from its API by
   * the payment id the charge's outcome named: how a charge that was {@link
   * OffSessionOutcome.Processing} or {@link OffSessionOutcome.AuthenticationRequired} ended. The
   * view's {@code checkoutRef} and {@code paymentRef} are that payment id; its {@code purchaseRef}
   * is the purchase the charge carried; {@code savedPaymentMethod} is empty.
   *
   * @throws PaymentProviderException if the provider refused or could not be reached (a payment id
   *     the provider does not know is kind {@code INVALID_REQUEST})
   */
  PaymentView fetchOffSessionPayment(String paymentRef);

  /** Refunds part or all of a payment. */
  ProviderRefund refund(RefundCall call);

  /** Whether the provider can be reached and answers, from a cheap call and recent failures. */
  ProviderHealth health();
}
