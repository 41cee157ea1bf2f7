package dev.billingsdk.purchase;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.purchase.WebhookOutcome.Effect;
import java.util.Optional;

/**
 * What the buyer's return from a hosted checkout did, once the provider's API was asked: the same
 * effects as a webhook's ({@link Effect#IGNORED} when the return named no purchase of this
 * library). Show the buyer the purchase's state, never the return URL's own status parameter.
 */
public record ReturnOutcome(Effect effect, Optional<Purchase> purchase) {

  public ReturnOutcome {
    InvalidRequestException.requireNonNull(effect, "effect");
    InvalidRequestException.requireNonNull(purchase, "purchase");
  }
}
