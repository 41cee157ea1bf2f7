package dev.billingsdk.spring.internal;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.flutterwave.FlutterwavePaymentProvider;
import dev.billingsdk.flutterwave.FlutterwaveSecretHash;
import dev.billingsdk.flutterwave.FlutterwaveSecretKey;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.spring.BillingProperties;
import dev.billingsdk.spring.BillingPropertyException;
import dev.billingsdk.stripe.StripeApiKey;
import dev.billingsdk.stripe.StripePaymentProvider;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds the payment providers from their properties. A refused secret is reported by its
 * property's name, never its value: the adapters' own messages already leave it out, and these
 * messages do not quote them.
 */
public final class Providers {
  private Providers() {}

  /** Stripe from {@code billing.stripe.*}; the class is loaded only when the adapter is present. */
  public static PaymentProvider stripe(BillingProperties.Stripe p, Clock clock) {
    StripePaymentProvider.Builder b;
    try {
      b = StripePaymentProvider.builder(StripeApiKey.of(required(p.getApiKey())));
    } catch (IllegalArgumentException | InvalidRequestException e) {
      throw new BillingPropertyException(
          "billing.stripe.api-key",
          PropertyChecks.REDACTED,
          "is not a Stripe secret or restricted key (sk_... or rk_...)");
    }
    List<String> secrets = p.getWebhookSecrets();
    for (int i = 0; i < secrets.size(); i++) {
      try {
        b.webhookSecret(secrets.get(i));
      } catch (InvalidRequestException e) {
        throw new BillingPropertyException(
            "billing.stripe.webhook-secrets[" + i + "]",
            PropertyChecks.REDACTED,
            "is not a webhook signing secret (whsec_...)");
      }
    }
    String baseUri = p.getBaseUri();
    if (baseUri != null) {
      b.baseUri(URI.create(baseUri));
    }
    return b.clock(clock).build();
  }

  /** Flutterwave from {@code billing.flutterwave.*}. */
  public static PaymentProvider flutterwave(BillingProperties.Flutterwave p, Clock clock) {
    FlutterwavePaymentProvider.Builder b;
    try {
      b = FlutterwavePaymentProvider.builder(FlutterwaveSecretKey.of(required(p.getSecretKey())));
    } catch (IllegalArgumentException | InvalidRequestException e) {
      throw new BillingPropertyException(
          "billing.flutterwave.secret-key",
          PropertyChecks.REDACTED,
          "is not a Flutterwave secret key (FLWSECK-... or FLWSECK_TEST-...)");
    }
    b.webhookSecretHash(hash("billing.flutterwave.webhook-secret-hash", p.getWebhookSecretHash()));
    String previous = p.getPreviousWebhookSecretHash();
    if (previous != null) {
      b.previousWebhookSecretHash(
          hash("billing.flutterwave.previous-webhook-secret-hash", previous));
    }
    String baseUri = p.getBaseUri();
    if (baseUri != null) {
      try {
        b.baseUri(URI.create(baseUri));
      } catch (InvalidRequestException e) {
        throw new BillingPropertyException(
            "billing.flutterwave.base-uri",
            baseUri,
            "https://host, or http:// to loopback; no path");
      }
    }
    return b.clock(clock).build();
  }

  private static FlutterwaveSecretHash hash(String property, @Nullable String value) {
    try {
      return FlutterwaveSecretHash.of(required(value));
    } catch (InvalidRequestException e) {
      throw new BillingPropertyException(
          property, PropertyChecks.REDACTED, "is not a usable secret hash (1 to 256 characters)");
    }
  }

  private static String required(@Nullable String value) {
    if (value == null) {
      throw new InvalidRequestException("secret", "(not set)", "is required");
    }
    return value;
  }
}
