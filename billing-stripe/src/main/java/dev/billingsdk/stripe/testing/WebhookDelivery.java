package dev.billingsdk.stripe.testing;

import java.util.Objects;

/**
 * A webhook delivery as Stripe would POST it to a host's endpoint: the event's JSON body and its
 * {@code Stripe-Signature} header ({@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">} under
 * the endpoint's signing secret, https://docs.stripe.com/webhooks#verify-manually).
 *
 * @param eventId the event's {@code id} ({@code evt_...})
 * @param type the event's {@code type}, e.g. {@code checkout.session.completed}
 * @param payload the exact body; a verifier must check the signature over these bytes (UTF-8)
 * @param signatureHeader the {@code Stripe-Signature} header's value
 * @param timestamp the signed timestamp, in seconds since the epoch
 */
public record WebhookDelivery(
    String eventId, String type, String payload, String signatureHeader, long timestamp) {
  public WebhookDelivery {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(signatureHeader, "signatureHeader");
  }
}
