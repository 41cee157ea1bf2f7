package dev.billingsdk.stripe.internal;

import dev.billingsdk.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Stripe webhook endpoint's signing secret ({@code whsec_...}, shown in the Dashboard per
 * endpoint and by {@code stripe listen}). It never shows itself: {@link #toString()} is redacted,
 * it has no accessor for its text, and no exception built here carries it.
 *
 * <p>The secret must start with {@code whsec_}. Stripe's documentation writes every endpoint secret
 * that way (https://docs.stripe.com/webhooks, "endpoint_secret = 'whsec_...'"), and the check turns
 * the likeliest mistake, an API key ({@code sk_live_...}, {@code rk_...}) configured in its place,
 * into an error at start-up instead of every delivery failing as a signature mismatch. Anything but
 * visible ASCII is refused for the same reason (Stripe's secrets are letters and digits after the
 * prefix): a secret read from a file with its trailing newline would never match. The whole text,
 * prefix included, is the HMAC key, as Stripe uses it.
 */
public final class WebhookSecret {

  /** The prefix of every Stripe webhook signing secret. */
  public static final String PREFIX = "whsec_";

  /** Longer than any real secret by far; a longer value is something else pasted by mistake. */
  static final int MAX_LENGTH = 256;

  private static final String FIELD = "webhookSecret";

  /** What an exception shows instead of the refused secret. */
  private static final String REDACTED = "(redacted)";

  private final SecretKeySpec key;

  private WebhookSecret(SecretKeySpec key) {
    this.key = key;
  }

  /**
   * The secret with this text.
   *
   * @throws InvalidRequestException if it is null, blank, holds anything but visible ASCII, is
   *     longer than {@value #MAX_LENGTH} characters, or does not start with {@code whsec_} followed
   *     by at least one character; the exception never shows the text
   */
  public static WebhookSecret of(String secret) {
    InvalidRequestException.requireNonNull(secret, FIELD);
    if (secret.isBlank()) {
      throw new InvalidRequestException(FIELD, REDACTED, "must not be blank");
    }
    if (secret.length() > MAX_LENGTH) {
      throw new InvalidRequestException(
          FIELD, REDACTED, "is longer than " + MAX_LENGTH + " characters: not a webhook secret");
    }
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      if (c < '!' || c > '~') {
        throw new InvalidRequestException(
            FIELD,
            REDACTED,
            "holds a space, a control or a non-ASCII character (a trailing newline from a file?)");
      }
    }
    if (!secret.startsWith(PREFIX) || secret.length() == PREFIX.length()) {
      throw new InvalidRequestException(
          FIELD,
          REDACTED,
          "must be the endpoint's signing secret, which starts with "
              + PREFIX
              + " (an API key is not a webhook secret)");
    }
    return new WebhookSecret(
        new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), StripeSignatureVerifier.HMAC));
  }

  /** The HMAC-SHA256 key; package-private, so that only the verifier holds it. */
  SecretKeySpec key() {
    return key;
  }

  @Override
  public String toString() {
    return "WebhookSecret[" + REDACTED + "]";
  }
}
