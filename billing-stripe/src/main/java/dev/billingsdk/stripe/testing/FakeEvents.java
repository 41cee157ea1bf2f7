package dev.billingsdk.stripe.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Objects;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * FakeStripe's webhook events: the event JSON Stripe posts, its {@code Stripe-Signature} header
 * (written here, with the JDK's HMAC), and the made-up ids.
 */
final class FakeEvents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String ALPHANUMERIC =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private FakeEvents() {}

  /** An event of {@code type} about {@code object}, created at {@code created}, signed. */
  static WebhookDelivery delivery(
      String id,
      String type,
      ObjectNode object,
      long created,
      String apiVersion,
      String webhookSecret,
      @Nullable String requestId,
      @Nullable String key) {
    String payload = eventJson(id, type, object, created, apiVersion, requestId, key);
    return new WebhookDelivery(
        id, type, payload, signatureHeader(payload, webhookSecret, created), created);
  }

  static WebhookDelivery signed(
      String type, String objectJson, String webhookSecret, Clock clock, String apiVersion) {
    Objects.requireNonNull(type, "type");
    JsonNode object;
    try {
      object = JSON.readTree(objectJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the event's object is not JSON", e);
    }
    if (object == null || !object.isObject()) {
      throw new IllegalArgumentException("the event's object is a JSON object");
    }
    String id = "evt_" + randomId(new SplittableRandom(), 24);
    long created = clock.instant().getEpochSecond();
    return delivery(id, type, (ObjectNode) object, created, apiVersion, webhookSecret, null, null);
  }

  static String signatureHeader(String payload, String webhookSecret, long timestamp) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(webhookSecret, "webhookSecret");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(digest.length * 2);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return "t=" + timestamp + ",v1=" + hex;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  private static String eventJson(
      String id,
      String type,
      ObjectNode object,
      long created,
      String apiVersion,
      @Nullable String requestId,
      @Nullable String key) {
    ObjectNode event = NODES.objectNode();
    event.put("id", id);
    event.put("object", "event");
    event.put("api_version", apiVersion);
    event.put("created", created);
    event.putObject("data").set("object", object.deepCopy());
    event.put("livemode", false);
    event.put("pending_webhooks", 1);
    ObjectNode request = event.putObject("request");
    request.put("id", requestId);
    request.put("idempotency_key", key);
    event.put("type", type);
    return event.toString();
  }

  static String randomId(SplittableRandom random, int length) {
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
    }
    return id.toString();
  }
}
