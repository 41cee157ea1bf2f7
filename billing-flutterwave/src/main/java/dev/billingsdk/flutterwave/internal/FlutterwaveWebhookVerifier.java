package dev.billingsdk.flutterwave.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.flutterwave.FlutterwaveSecretHash;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.payment.WebhookRejectedException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Checks a Flutterwave webhook delivery and reads it into a {@link ProviderEvent}.
 *
 * <p><b>Which header decides.</b> Flutterwave sends either or both of two headers:
 *
 * <ul>
 *   <li>{@code flutterwave-signature}: the base64 of HMAC-SHA256 over the raw body, keyed with the
 *       secret hash's UTF-8 bytes. When it is present it decides alone: it must match under the
 *       current or the previous hash, and a delivery whose signature is wrong is refused even if
 *       its {@code verif-hash} is right (the body may have been changed on the way);
 *   <li>{@code verif-hash}: the secret hash itself, which signs nothing. Used only without a
 *       signature; it must equal the current or the previous hash.
 * </ul>
 *
 * Every comparison is constant-time ({@link MessageDigest#isEqual}) and runs against every
 * configured hash, without an early exit. Header names match in any case; a header present twice is
 * {@link Reason#MALFORMED_SIGNATURE}; neither header is {@link Reason#MISSING_SIGNATURE}.
 *
 * <p><b>The body.</b> A JSON object with a text {@code event}, and a {@code data} object with an
 * integer {@code id} and a text {@code tx_ref}; anything else is {@link Reason#MALFORMED_PAYLOAD}.
 * v3 webhooks carry no event id, so the event's id is {@code <data.id>:<event>:<data.status>}: the
 * same delivery twice has one id, and a transaction moving from pending to successful is a new
 * event. {@code charge.completed} is {@link ProviderEvent.Kind#CHECKOUT_COMPLETED} whatever its
 * status says (the library verifies the transaction before acting on it); every other event is
 * {@link ProviderEvent.Kind#OTHER}.
 *
 * <p>No refusal's message holds a secret hash, a signature or the body. Instances are immutable.
 */
public final class FlutterwaveWebhookVerifier {
  /** The provider name in every exception and event. */
  public static final String PROVIDER = "flutterwave";

  /** The legacy header: the secret hash itself. */
  public static final String HASH_HEADER = "verif-hash";

  /** The HMAC header: base64 of HMAC-SHA256(secret hash, raw body). */
  public static final String SIGNATURE_HEADER = "flutterwave-signature";

  /** The one event that completes a checkout. */
  public static final String CHARGE_COMPLETED = "charge.completed";

  private static final String HMAC = "HmacSHA256";

  /** Far above a real header: a 32-byte HMAC is 44 base64 characters. */
  private static final int MAX_HEADER_LENGTH = 1024;

  private final List<byte[]> hashes;
  private final Clock clock;

  private FlutterwaveWebhookVerifier(List<byte[]> hashes, Clock clock) {
    this.hashes = hashes;
    this.clock = clock;
  }

  /**
   * A verifier for the current hash and, while the hash is being rolled, the previous one.
   *
   * @param current the hash configured now
   * @param previous the hash before it, or null
   * @param clock dates an event whose {@code data.created_at} is missing or unreadable
   * @return the verifier
   */
  public static FlutterwaveWebhookVerifier of(
      FlutterwaveSecretHash current, @Nullable FlutterwaveSecretHash previous, Clock clock) {
    InvalidRequestException.requireNonNull(current, "webhookSecretHash");
    InvalidRequestException.requireNonNull(clock, "clock");
    List<byte[]> hashes = new ArrayList<>(2);
    hashes.add(SecretAccess.hash(current).getBytes(StandardCharsets.UTF_8));
    if (previous != null) {
      hashes.add(SecretAccess.hash(previous).getBytes(StandardCharsets.UTF_8));
    }
    return new FlutterwaveWebhookVerifier(List.copyOf(hashes), clock);
  }

  /**
   * Checks a delivery and reads it.
   *
   * @param body the raw body bytes as received
   * @param headers the request's headers, names in any case (a null name is skipped)
   * @return the event
   * @throws WebhookRejectedException if a check fails; nothing may be stored then
   */
  public ProviderEvent verify(byte[] body, Map<String, ? extends List<String>> headers) {
    InvalidRequestException.requireNonNull(body, "body");
    InvalidRequestException.requireNonNull(headers, "headers");
    String signature = header(headers, SIGNATURE_HEADER);
    String hash = header(headers, HASH_HEADER);
    if (signature != null) {
      checkSignature(signature, body);
    } else if (hash != null) {
      checkHash(hash);
    } else {
      throw reject(
          Reason.MISSING_SIGNATURE,
          "the request has neither a " + SIGNATURE_HEADER + " nor a " + HASH_HEADER + " header");
    }
    return read(body);
  }

  // ------------------------------------------------------------------ the headers

  private static @Nullable String header(Map<String, ? extends List<String>> headers, String name) {
    List<String> values = new ArrayList<>();
    headers.forEach(
        (key, list) -> {
          if (key != null && list != null && key.trim().equalsIgnoreCase(name)) {
            list.stream().filter(Objects::nonNull).forEach(values::add);
          }
        });
    if (values.size() > 1) {
      throw reject(
          Reason.MALFORMED_SIGNATURE,
          "the " + name + " header is there " + values.size() + " times");
    }
    if (values.isEmpty()) {
      return null;
    }
    String value = values.get(0);
    if (value.length() > MAX_HEADER_LENGTH) {
      throw reject(
          Reason.MALFORMED_SIGNATURE,
          "the " + name + " header is longer than " + MAX_HEADER_LENGTH + " characters");
    }
    return value.strip();
  }

  private void checkSignature(String header, byte[] body) {
    byte[] candidate;
    try {
      candidate = Base64.getDecoder().decode(header);
    } catch (IllegalArgumentException e) {
      throw reject(Reason.MALFORMED_SIGNATURE, "the " + SIGNATURE_HEADER + " header is not base64");
    }
    boolean matched = false;
    for (byte[] key : hashes) {
      // No early exit: every hash is tried, so timing does not tell which one matched.
      matched |= MessageDigest.isEqual(hmac(key, body), candidate);
    }
    if (!matched) {
      throw reject(
          Reason.SIGNATURE_MISMATCH,
          "the "
              + SIGNATURE_HEADER
              + " header matches the body under none of the "
              + hashes.size()
              + " configured secret hashes");
    }
  }

  private void checkHash(String header) {
    byte[] candidate = header.getBytes(StandardCharsets.UTF_8);
    boolean matched = false;
    for (byte[] key : hashes) {
      matched |= MessageDigest.isEqual(key, candidate);
    }
    if (!matched) {
      throw reject(
          Reason.SIGNATURE_MISMATCH,
          "the "
              + HASH_HEADER
              + " header equals none of the "
              + hashes.size()
              + " configured secret hashes");
    }
  }

  /**
   * HMAC-SHA256 of {@code body} under {@code key}.
   *
   * @param key the secret hash's UTF-8 bytes
   * @param body the raw body
   * @return the 32-byte MAC
   */
  static byte[] hmac(byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Every Java platform has HmacSHA256, and a non-empty key is never refused; the cause names
      // the algorithm, not the key.
      throw new IllegalStateException(HMAC + " is not available", e);
    }
  }

  // ------------------------------------------------------------------ the body

  private ProviderEvent read(byte[] body) {
    if (body.length > ProviderEvent.MAX_PAYLOAD) {
      throw malformed("the body is longer than " + ProviderEvent.MAX_PAYLOAD + " bytes");
    }
    String payload;
    try {
      // A fresh decoder reports malformed input instead of replacing it.
      payload = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw malformed("the body is not UTF-8");
    }
    JsonNode root;
    try {
      root = FlutterwaveJson.mapper().readTree(payload);
    } catch (JsonProcessingException e) {
      root = MissingNode.getInstance();
    }
    if (!root.isObject()) {
      throw malformed("the body is not a JSON object");
    }
    JsonNode event = root.get("event");
    if (event == null || !event.isTextual() || event.asText().isBlank()) {
      throw malformed("the body has no event");
    }
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) {
      throw malformed("the body has no data object");
    }
    JsonNode id = data.get("id");
    if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() < 0) {
      throw malformed("data.id is not a transaction id (a non-negative integer)");
    }
    JsonNode txRef = data.get("tx_ref");
    if (txRef == null || !txRef.isTextual()) {
      throw malformed("data.tx_ref is missing");
    }
    JsonNode status = data.get("status");
    String type = event.asText();
    String paymentRef = Long.toString(id.asLong());
    String eventId =
        paymentRef
            + ":"
            + type
            + ":"
            + (status != null && status.isTextual() ? status.asText() : "");
    ProviderEvent.Kind kind =
        CHARGE_COMPLETED.equals(type)
            ? ProviderEvent.Kind.CHECKOUT_COMPLETED
            : ProviderEvent.Kind.OTHER;
    Optional<String> reference = Optional.of(txRef.asText());
    try {
      return new ProviderEvent(
          PROVIDER,
          eventId,
          type,
          kind,
          createdAt(data.get("created_at")),
          reference,
          reference,
          Optional.of(paymentRef),
          payload);
    } catch (InvalidRequestException e) {
      throw malformed("the event's " + e.field() + " is not usable");
    }
  }

  private Instant createdAt(@Nullable JsonNode node) {
    if (node != null && node.isTextual()) {
      try {
        return OffsetDateTime.parse(node.asText()).toInstant();
      } catch (DateTimeParseException e) {
        // Fall through to the clock: the time is for the record, not for any check.
      }
    }
    return clock.instant();
  }

  private static WebhookRejectedException malformed(String detail) {
    return reject(Reason.MALFORMED_PAYLOAD, detail);
  }

  private static WebhookRejectedException reject(Reason reason, String detail) {
    return new WebhookRejectedException(PROVIDER, reason, detail);
  }

  @Override
  public String toString() {
    return "FlutterwaveWebhookVerifier[secret hashes=" + hashes.size() + "]";
  }
}
