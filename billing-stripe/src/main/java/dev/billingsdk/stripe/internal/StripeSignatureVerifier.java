package dev.billingsdk.stripe.internal;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.payment.WebhookRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import org.jspecify.annotations.Nullable;

/**
 * Verifies that a webhook delivery comes from Stripe, from the raw body bytes and the {@code
 * Stripe-Signature} header, before anything in the body is read or stored.
 *
 * <p>What Stripe documents (https://docs.stripe.com/webhooks, sections "Verify webhook signatures
 * manually" and "Preventing replay attacks", read 2026-12-03):
 *
 * <ul>
 *   <li>The header holds a timestamp {@code t=<unix seconds>} and one or more signatures, each
 *       prefixed by a scheme; elements are separated by {@code ,} and each is {@code key=value}.
 *       The only live scheme is {@code v1}; test events also carry a fake {@code v0}. Every scheme
 *       but {@code v1} is ignored, against downgrade attacks.
 *   <li>A signature is the HMAC-SHA256, keyed with the endpoint's signing secret, of the timestamp
 *       as written in the header, the character {@code .}, and the body exactly as received: the
 *       bytes, never a re-encoded string.
 *   <li>When a secret is rolled, the previous one can stay active for up to 24 hours, and Stripe
 *       then sends one {@code v1} per active secret. So every configured secret (one, or two while
 *       rolling) is tried against every {@code v1}; one match is enough. Comparison is
 *       constant-time ({@link MessageDigest#isEqual}).
 *   <li>The timestamp is signed, so once the signature matches, its distance to the clock is
 *       checked against a tolerance; Stripe's libraries default to 5 minutes. It is checked in both
 *       directions: a delivery signed too long ago is a replay or a stalled queue, one signed too
 *       far ahead means a clock is wrong. Each retry is signed afresh, so the tolerance never needs
 *       to cover Stripe's retry schedule.
 * </ul>
 *
 * <p>Beyond that, this verifier is strict about the header's shape: a header that is empty, has an
 * element that is not {@code key=value}, no {@code t} or more than one, a {@code t} that is not 1
 * to 12 decimal digits, no {@code v1}, a {@code v1} that is not 64 lower-case hex digits, more than
 * {@value #MAX_SIGNATURES} {@code v1}, or is longer than {@value #MAX_HEADER_LENGTH} characters is
 * {@link Reason#MALFORMED_SIGNATURE}; so is a request carrying the header more than once. Elements
 * with other keys ({@code v0}, a future {@code v2}) are ignored whatever their value.
 *
 * <p>Every refusal is a {@link WebhookRejectedException} with provider {@code stripe} and the
 * {@link Reason}; its message says which check failed and never holds a secret, a signature, the
 * header or the body. Instances are immutable and safe to share between threads.
 */
public final class StripeSignatureVerifier {

  /** The provider name in every exception. */
  public static final String PROVIDER = "stripe";

  /** The header Stripe signs deliveries with (looked up case-insensitively). */
  public static final String HEADER = "Stripe-Signature";

  /** Stripe's libraries' default tolerance (https://docs.stripe.com/webhooks). */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  /**
   * The largest tolerance accepted. Stripe signs every retry afresh, so a delivery's timestamp is
   * never older than the network and the host's queue make it; a wider window only widens replays.
   */
  public static final Duration MAX_TOLERANCE = Duration.ofHours(1);

  /** At most two secrets are active at once: the current one and the rolled one. */
  public static final int MAX_SECRETS = 2;

  /** Far above a real header (a timestamp and two or three signatures are under 250 characters). */
  static final int MAX_HEADER_LENGTH = 4096;

  /** Stripe sends one {@code v1} per active secret; more than this is not Stripe. */
  static final int MAX_SIGNATURES = 8;

  /** Twelve digits reach the year 33658; enough, and far from overflowing a {@code long}. */
  static final int MAX_TIMESTAMP_DIGITS = 12;

  static final String HMAC = "HmacSHA256";

  private static final String SCHEME = "v1";
  private static final int SIGNATURE_BYTES = 32;
  private static final HexFormat HEX = HexFormat.of();

  private final List<WebhookSecret> secrets;
  private final Duration tolerance;
  private final Clock clock;

  private StripeSignatureVerifier(List<WebhookSecret> secrets, Duration tolerance, Clock clock) {
    this.secrets = secrets;
    this.tolerance = tolerance;
    this.clock = clock;
  }

  /** A verifier for one secret with the default tolerance of 5 minutes. */
  public static StripeSignatureVerifier of(WebhookSecret secret, Clock clock) {
    InvalidRequestException.requireNonNull(secret, "secret");
    return of(List.of(secret), DEFAULT_TOLERANCE, clock);
  }

  /**
   * A verifier that accepts a signature made with any of {@code secrets}: one, or two while a
   * secret is being rolled.
   *
   * @param tolerance how far the signed timestamp may be from {@code clock}, either way: positive,
   *     at most {@link #MAX_TOLERANCE}; Stripe warns that a tolerance of zero would switch the
   *     check off in its libraries, so zero is refused here
   * @throws InvalidRequestException if an argument is null, {@code secrets} is empty, has more than
   *     {@value #MAX_SECRETS} entries or a null one, or the tolerance is out of range
   */
  public static StripeSignatureVerifier of(
      List<WebhookSecret> secrets, Duration tolerance, Clock clock) {
    InvalidRequestException.requireNonNull(secrets, "secrets");
    InvalidRequestException.requireNonNull(tolerance, "tolerance");
    InvalidRequestException.requireNonNull(clock, "clock");
    if (secrets.isEmpty() || secrets.size() > MAX_SECRETS) {
      throw new InvalidRequestException(
          "secrets",
          secrets.size() + " secrets",
          "must hold 1 secret, or " + MAX_SECRETS + " while one is being rolled");
    }
    for (WebhookSecret secret : secrets) {
      InvalidRequestException.requireNonNull(secret, "secrets[]");
    }
    if (tolerance.isNegative() || tolerance.isZero() || tolerance.compareTo(MAX_TOLERANCE) > 0) {
      throw new InvalidRequestException(
          "tolerance", tolerance, "must be positive and at most " + MAX_TOLERANCE);
    }
    return new StripeSignatureVerifier(List.copyOf(secrets), tolerance, clock);
  }

  /** The tolerance either way between the signed timestamp and the clock. */
  public Duration tolerance() {
    return tolerance;
  }

  /**
   * Verifies a delivery from its headers as the host received them, for example {@code
   * java.net.http.HttpHeaders#map()} or a servlet's headers collected into a map. The {@code
   * Stripe-Signature} header is found whatever the case of its name; keys may be null (as {@code
   * HttpURLConnection} puts the status line under a null key) and are then skipped.
   *
   * @return the signed timestamp, once the delivery has passed every check
   * @throws WebhookRejectedException if the delivery does not pass, with the check that failed
   */
  public Instant verify(Map<String, ? extends List<String>> headers, byte[] body) {
    InvalidRequestException.requireNonNull(headers, "headers");
    return verify(signatureHeader(headers), body);
  }

  /**
   * Verifies a delivery from the value of its {@code Stripe-Signature} header, null when the
   * request had none.
   *
   * @return the signed timestamp, once the delivery has passed every check
   * @throws WebhookRejectedException if the delivery does not pass, with the check that failed
   */
  public Instant verify(@Nullable String signatureHeader, byte[] body) {
    InvalidRequestException.requireNonNull(body, "body");
    if (signatureHeader == null) {
      throw reject(Reason.MISSING_SIGNATURE, "the request has no " + HEADER + " header");
    }
    ParsedHeader parsed = parse(signatureHeader);
    if (!matchesAnySecret(parsed, body)) {
      throw reject(
          Reason.SIGNATURE_MISMATCH,
          "none of the "
              + parsed.signatures.size()
              + " v1 signatures matches the body under any of the "
              + secrets.size()
              + " configured secrets");
    }
    Instant signedAt = Instant.ofEpochSecond(parsed.timestamp);
    Instant now = clock.instant();
    if (signedAt.isBefore(now.minus(tolerance))) {
      throw reject(
          Reason.TIMESTAMP_TOO_OLD,
          "signed at "
              + signedAt
              + ", "
              + Duration.between(signedAt, now).toSeconds()
              + " s before the clock; the tolerance is "
              + tolerance.toSeconds()
              + " s");
    }
    if (signedAt.isAfter(now.plus(tolerance))) {
      throw reject(
          Reason.TIMESTAMP_IN_FUTURE,
          "signed at "
              + signedAt
              + ", "
              + Duration.between(now, signedAt).toSeconds()
              + " s after the clock; the tolerance is "
              + tolerance.toSeconds()
              + " s");
    }
    return signedAt;
  }

  // ------------------------------------------------------------------ the header

  private static @Nullable String signatureHeader(Map<String, ? extends List<String>> headers) {
    List<String> values = null;
    for (Map.Entry<String, ? extends List<String>> entry : headers.entrySet()) {
      String name = entry.getKey();
      if (name == null || !name.equalsIgnoreCase(HEADER)) {
        continue;
      }
      if (values != null) {
        throw reject(
            Reason.MALFORMED_SIGNATURE, "the " + HEADER + " header is present under two names");
      }
      values = entry.getValue();
    }
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw reject(
          Reason.MALFORMED_SIGNATURE,
          "the " + HEADER + " header is present " + values.size() + " times");
    }
    return values.get(0);
  }

  /** The timestamp as written (it is signed as written) and its value, and the v1 signatures. */
  private record ParsedHeader(String timestampText, long timestamp, List<byte[]> signatures) {}

  private static ParsedHeader parse(String header) {
    if (header.length() > MAX_HEADER_LENGTH) {
      throw malformed("the header is longer than " + MAX_HEADER_LENGTH + " characters");
    }
    if (header.isEmpty()) {
      throw malformed("the header is empty");
    }
    String timestampText = null;
    List<byte[]> signatures = new ArrayList<>();
    // split(",", -1) keeps empty trailing elements, so "t=1,v1=...," is refused, not trimmed.
    String[] elements = header.split(",", -1);
    for (int i = 0; i < elements.length; i++) {
      String element = elements[i];
      int eq = element.indexOf('=');
      if (eq <= 0) {
        throw malformed("element " + (i + 1) + " is not key=value");
      }
      String key = element.substring(0, eq);
      String value = element.substring(eq + 1);
      if (key.equals("t")) {
        if (timestampText != null) {
          throw malformed("t appears more than once");
        }
        timestampText = value;
      } else if (key.equals(SCHEME)) {
        if (signatures.size() == MAX_SIGNATURES) {
          throw malformed("more than " + MAX_SIGNATURES + " v1 signatures");
        }
        signatures.add(signature(value));
      }
      // Any other scheme or key is ignored (Stripe: "ignore all schemes that aren't v1").
    }
    if (timestampText == null) {
      throw malformed("no t (timestamp)");
    }
    if (signatures.isEmpty()) {
      throw malformed("no v1 signature");
    }
    return new ParsedHeader(timestampText, timestamp(timestampText), List.copyOf(signatures));
  }

  private static long timestamp(String text) {
    if (text.isEmpty() || text.length() > MAX_TIMESTAMP_DIGITS) {
      throw malformed("t is not 1 to " + MAX_TIMESTAMP_DIGITS + " digits");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw malformed("t is not a decimal number of seconds");
      }
    }
    return Long.parseLong(text);
  }

  private static byte[] signature(String hex) {
    if (hex.length() != 2 * SIGNATURE_BYTES) {
      throw malformed("a v1 signature is not " + 2 * SIGNATURE_BYTES + " hex digits long");
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      // Lower case only, as Stripe writes it: then no two spellings of one signature both pass.
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        throw malformed("a v1 signature is not lower-case hexadecimal");
      }
    }
    return HEX.parseHex(hex);
  }

  // ------------------------------------------------------------------ the signature

  private boolean matchesAnySecret(ParsedHeader parsed, byte[] body) {
    byte[] prefix = (parsed.timestampText + ".").getBytes(StandardCharsets.US_ASCII);
    boolean matched = false;
    for (WebhookSecret secret : secrets) {
      byte[] expected = hmac(secret, prefix, body);
      for (byte[] candidate : parsed.signatures) {
        // No early exit: every pair is compared, so timing does not tell which one matched.
        matched |= MessageDigest.isEqual(expected, candidate);
      }
    }
    return matched;
  }

  private static byte[] hmac(WebhookSecret secret, byte[] prefix, byte[] body) {
    Mac mac;
    try {
      mac = Mac.getInstance(HMAC);
      mac.init(secret.key());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Every Java platform must provide HmacSHA256 (javax.crypto.Mac's documentation), and a key
      // built by WebhookSecret is never refused; the cause names the algorithm, not the key.
      throw new IllegalStateException(HMAC + " is not available", e);
    }
    mac.update(prefix);
    mac.update(body);
    return mac.doFinal();
  }

  // ------------------------------------------------------------------ refusals

  private static WebhookRejectedException malformed(String detail) {
    return reject(Reason.MALFORMED_SIGNATURE, detail);
  }

  private static WebhookRejectedException reject(Reason reason, String detail) {
    return new WebhookRejectedException(PROVIDER, reason, detail);
  }

  @Override
  public String toString() {
    return "StripeSignatureVerifier[secrets="
        + secrets.size()
        + ", tolerance="
        + tolerance
        + ", clock="
        + clock
        + "]";
  }
}
