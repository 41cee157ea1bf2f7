package dev.billingsdk.purchase;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.payment.ProviderEvent;
import java.util.Optional;

/**
 * What a webhook delivery did. Every outcome is answered to the provider with a 2xx: the delivery
 * was received and needs no retry. (A delivery that fails verification throws instead, and is
 * answered with a 4xx.)
 */
public record WebhookOutcome(ProviderEvent event, Effect effect, Optional<Purchase> purchase) {

  /** The effect of a delivery. */
  public enum Effect {
    /** The payment was confirmed and the purchase is paid (its credits granted). */
    PAID,
    /** The payment failed. */
    FAILED,
    /** The checkout expired. */
    EXPIRED,
    /** A refund was applied. */
    REFUNDED,
    /** The provider's payment did not match the purchase: nothing granted, marked for review. */
    NEEDS_REVIEW,
    /** Read, and nothing to change (a delayed payment still pending, a state already reached). */
    NO_CHANGE,
    /** This event was processed before. */
    DUPLICATE,
    /** An event of no concern, or of no purchase of this library. */
    IGNORED
  }

  public WebhookOutcome {
    InvalidRequestException.requireNonNull(event, "event");
    InvalidRequestException.requireNonNull(effect, "effect");
    InvalidRequestException.requireNonNull(purchase, "purchase");
  }
}
