package dev.billingsdk.purchase;

import dev.billingsdk.InvalidRequestException;
import java.net.URI;

/** A purchase with its hosted checkout: send the buyer to {@code redirectUrl}. */
public record CheckoutStarted(Purchase purchase, URI redirectUrl) {

  public CheckoutStarted {
    InvalidRequestException.requireNonNull(purchase, "purchase");
    InvalidRequestException.requireNonNull(redirectUrl, "redirectUrl");
  }
}
