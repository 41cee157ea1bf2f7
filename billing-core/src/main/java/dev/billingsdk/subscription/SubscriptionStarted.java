package dev.billingsdk.subscription;

import dev.billingsdk.InvalidRequestException;
import java.net.URI;
import java.util.Optional;

/**
 * A subscription as it stands after {@code subscribe}: waiting for its hosted checkout (send the
 * buyer to {@code checkoutUrl}), trialing, active, or expired when a saved method was declined.
 *
 * @param detail how the first payment went, in words
 */
public record SubscriptionStarted(
    Subscription subscription, Optional<URI> checkoutUrl, String detail) {
  public SubscriptionStarted {
    InvalidRequestException.requireNonNull(subscription, "subscription");
    InvalidRequestException.requireNonNull(checkoutUrl, "checkoutUrl");
    InvalidRequestException.requireNonNull(detail, "detail");
  }
}
