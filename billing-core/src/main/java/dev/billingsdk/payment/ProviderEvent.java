package dev.billingsdk.payment;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.time.Instant;
import java.util.Optional;

/**
 * A verified webhook delivery, read into provider-neutral terms. Its content says what to look at,
 * never what to grant: the library re-reads the payment from the provider's API first.
 *
 * @param eventId the provider's event id, unique per provider: the same event delivered twice has
 *     the same id, and is processed once
 * @param type the provider's own event type, e.g. {@code checkout.session.completed}
 * @param kind what it means for a purchase
 * @param purchaseRef the purchase id the checkout carried, when the event names one
 * @param checkoutRef the checkout's provider reference, when the event names one
 * @param paymentRef the provider's payment id (Stripe: PaymentIntent; Flutterwave: transaction)
 * @param payload the raw body as received, kept for audit
 */
public record ProviderEvent(
    String provider,
    String eventId,
    String type,
    Kind kind,
    Instant createdAt,
    Optional<String> purchaseRef,
    Optional<String> checkoutRef,
    Optional<String> paymentRef,
    String payload) {

  /** What an event means for a purchase. */
  public enum Kind {
    /** The buyer finished the checkout; paid, or a delayed method still to settle. */
    CHECKOUT_COMPLETED,
    /** A delayed payment settled. */
    PAYMENT_SUCCEEDED,
    /** The payment failed. */
    PAYMENT_FAILED,
    /** The checkout expired unpaid. */
    CHECKOUT_EXPIRED,
    /** Money went back to the buyer (a refund made in the provider's dashboard, or ours). */
    REFUNDED,
    /** Anything else; stored, and acknowledged without effect. */
    OTHER
  }

  /** The longest payload kept; providers' event bodies are far smaller. */
  public static final int MAX_PAYLOAD = 1 << 20;

  public ProviderEvent {
    Identifiers.check(provider, "provider");
    Identifiers.check(eventId, "eventId");
    InputContract.nonBlankText(type, "type", 128);
    InvalidRequestException.requireNonNull(kind, "kind");
    createdAt = InputContract.instant(createdAt, "createdAt");
    InvalidRequestException.requireNonNull(purchaseRef, "purchaseRef");
    InvalidRequestException.requireNonNull(checkoutRef, "checkoutRef");
    InvalidRequestException.requireNonNull(paymentRef, "paymentRef");
    purchaseRef.ifPresent(r -> Identifiers.check(r, "purchaseRef"));
    checkoutRef.ifPresent(r -> Identifiers.check(r, "checkoutRef"));
    paymentRef.ifPresent(r -> Identifiers.check(r, "paymentRef"));
    InputContract.text(payload, "payload", MAX_PAYLOAD);
  }

  @Override
  public String toString() {
    return "ProviderEvent[" + provider + " " + eventId + " " + type + " " + kind + "]";
  }
}
