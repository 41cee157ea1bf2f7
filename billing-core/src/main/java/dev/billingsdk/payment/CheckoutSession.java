package dev.billingsdk.payment;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * A created hosted checkout: where to send the buyer, and the provider's reference for it (Stripe:
 * the Checkout Session id; Flutterwave: the transaction reference), by which its payment is looked
 * up later.
 */
public record CheckoutSession(String reference, URI redirectUrl, Optional<Instant> expiresAt) {

  public CheckoutSession {
    Identifiers.check(reference, "reference");
    InvalidRequestException.requireNonNull(redirectUrl, "redirectUrl");
    InvalidRequestException.requireNonNull(expiresAt, "expiresAt");
    expiresAt = expiresAt.map(t -> InputContract.instant(t, "expiresAt"));
  }

  public static CheckoutSession of(String reference, URI redirectUrl, Optional<Instant> expiresAt) {
    return new CheckoutSession(reference, redirectUrl, expiresAt);
  }
}
