package dev.billingsdk.subscription;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;

/**
 * Identifies a subscription within its tenant. Chosen by the client, so that subscribing twice (a
 * double click, a retried request) makes one subscription. At most {@value #MAX_LENGTH} characters:
 * the subscription's purchases are named after it ({@code <id>-p<period>-a<attempt>}).
 */
public record SubscriptionId(String value) {

  /** The longest subscription id. */
  public static final int MAX_LENGTH = 96;

  public SubscriptionId {
    Identifiers.check(value, "subscription");
    if (value.length() > MAX_LENGTH) {
      throw new InvalidRequestException(
          "subscription", value, "must be at most " + MAX_LENGTH + " characters");
    }
  }

  public static SubscriptionId of(String value) {
    return new SubscriptionId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
