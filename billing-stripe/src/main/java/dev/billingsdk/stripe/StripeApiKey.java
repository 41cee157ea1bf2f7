package dev.billingsdk.stripe;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Stripe secret API key: a standard secret key ({@code sk_test_...}, {@code sk_live_...}) or a
 * restricted key ({@code rk_test_...}, {@code rk_live_...}), the prefixes Stripe's API reference
 * gives (https://docs.stripe.com/api/authentication, https://docs.stripe.com/keys).
 *
 * <p>The key is a secret that can move money: {@link #toString()} shows only its kind and mode, and
 * no exception this module throws carries it. A publishable key ({@code pk_...}) is refused, since
 * it cannot call the server-side API.
 */
public final class StripeApiKey {
  private static final List<String> PREFIXES =
      List.of("sk_test_", "sk_live_", "rk_test_", "rk_live_");

  private final String secret;
  private final String prefix;

  private StripeApiKey(String secret, String prefix) {
    this.secret = secret;
    this.prefix = prefix;
  }

  /**
   * The key as the Stripe Dashboard shows it.
   *
   * @throws IllegalArgumentException if it is blank, has whitespace or control characters, or does
   *     not start with one of Stripe's secret or restricted key prefixes (the message never repeats
   *     the key)
   */
  public static StripeApiKey of(String secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.isBlank()) {
      throw new IllegalArgumentException("a Stripe API key must not be blank");
    }
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            "a Stripe API key is printable ASCII without spaces; this one is not (not shown)");
      }
    }
    for (String prefix : PREFIXES) {
      if (secret.startsWith(prefix) && secret.length() > prefix.length()) {
        return new StripeApiKey(secret, prefix);
      }
    }
    throw new IllegalArgumentException(
        "a Stripe API key starts with sk_test_, sk_live_, rk_test_ or rk_live_ (a secret or"
            + " restricted key; publishable keys cannot call the API); this one does not (not"
            + " shown)");
  }

  /** Whether this is a live-mode key, which moves real money. */
  public boolean livemode() {
    return prefix.endsWith("_live_");
  }

  /** Whether this is a restricted key ({@code rk_...}). */
  public boolean restricted() {
    return prefix.startsWith("rk_");
  }

  /**
   * The secret itself, for the {@code Authorization} header and nothing else: never log it, never
   * put it in a message.
   */
  public String secret() {
    return secret;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof StripeApiKey other && secret.equals(other.secret);
  }

  @Override
  public int hashCode() {
    return secret.hashCode();
  }

  /** The kind and mode only, e.g. {@code StripeApiKey[sk_test_***]}. */
  @Override
  public String toString() {
    return "StripeApiKey[" + prefix + "***]";
  }
}
