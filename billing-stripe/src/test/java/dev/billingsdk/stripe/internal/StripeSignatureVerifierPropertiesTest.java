package dev.billingsdk.stripe.internal;

import static dev.billingsdk.stripe.internal.StripeSigning.assertRejected;
import static dev.billingsdk.stripe.internal.StripeSigning.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.payment.WebhookRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the verifier: whatever the body and the secret, a delivery signed as Stripe
 * documents passes, and a change of any single byte of the body, of the signature or of the header
 * is refused.
 */
class StripeSignatureVerifierPropertiesTest {

  static final long NOW = 1_764_750_000L;
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  static final int TOLERANCE = 300;

  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.strings()
        .withCharRange('!', '~')
        .ofMinLength(1)
        .ofMaxLength(80)
        .map(s -> WebhookSecret.PREFIX + s);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(2048);
  }

  @Provide
  Arbitrary<byte[]> nonEmptyBodies() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(2048);
  }

  static StripeSignatureVerifier verifier(String secret) {
    return StripeSignatureVerifier.of(
        List.of(WebhookSecret.of(secret)), Duration.ofSeconds(TOLERANCE), CLOCK);
  }

  static List<String> hidden(String secret, String header, byte[] body) {
    return List.of(secret, header, new String(body, StandardCharsets.ISO_8859_1));
  }

  @Property(tries = 1000)
  void a_correctly_signed_delivery_passes(
      @ForAll("secrets") String secret,
      @ForAll("bodies") byte[] body,
      @ForAll @IntRange(min = -TOLERANCE, max = TOLERANCE) int skew) {
    long t = NOW + skew;
    String header = "t=" + t + ",v1=" + sign(secret, t, body);

    assertThat(verifier(secret).verify(header, body)).isEqualTo(Instant.ofEpochSecond(t));
  }

  @Property(tries = 1000)
  void a_delivery_passes_under_either_of_two_secrets_and_under_no_third(
      @ForAll("secrets") String current,
      @ForAll("secrets") String previous,
      @ForAll("secrets") String random,
      @ForAll("bodies") byte[] body) {
    // Longer than both, so a third secret by construction, not by a discarded try.
    String other = random + current + previous;
    StripeSignatureVerifier rolling =
        StripeSignatureVerifier.of(
            List.of(WebhookSecret.of(current), WebhookSecret.of(previous)),
            Duration.ofSeconds(TOLERANCE),
            CLOCK);

    for (String signer : List.of(current, previous)) {
      assertThat(rolling.verify("t=" + NOW + ",v1=" + sign(signer, NOW, body), body))
          .isEqualTo(Instant.ofEpochSecond(NOW));
    }
    String forged = "t=" + NOW + ",v1=" + sign(other, NOW, body);
    assertRejected(
        () -> rolling.verify(forged, body),
        Reason.SIGNATURE_MISMATCH,
        List.of(current, previous, other, forged));
  }

  @Property(tries = 1000)
  void any_single_byte_change_of_the_body_is_refused(
      @ForAll("secrets") String secret,
      @ForAll("nonEmptyBodies") byte[] body,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
    String header = "t=" + NOW + ",v1=" + sign(secret, NOW, body);
    byte[] changed = body.clone();
    int i = where % body.length;
    changed[i] = (byte) (changed[i] ^ flip);

    assertRejected(
        () -> verifier(secret).verify(header, changed),
        Reason.SIGNATURE_MISMATCH,
        hidden(secret, header, body));
  }

  @Property(tries = 1000)
  void any_single_character_change_of_the_signature_is_refused(
      @ForAll("secrets") String secret,
      @ForAll("bodies") byte[] body,
      @ForAll @IntRange(min = 0, max = 63) int where,
      @ForAll @IntRange(min = 1, max = 255) int offset) {
    String signature = sign(secret, NOW, body);
    // Any other character from U+0000 to U+00FF, never the one that was there.
    char replaced = (char) ((signature.charAt(where) + offset) % 256);
    String changed = signature.substring(0, where) + replaced + signature.substring(where + 1);
    String header = "t=" + NOW + ",v1=" + changed;

    WebhookRejectedException e =
        catchThrowableOfType(
            WebhookRejectedException.class, () -> verifier(secret).verify(header, body));

    assertThat(e).as("refused").isNotNull();
    // A hex digit for a hex digit is a mismatch; anything else makes the header malformed.
    Reason expected =
        (replaced >= '0' && replaced <= '9') || (replaced >= 'a' && replaced <= 'f')
            ? Reason.SIGNATURE_MISMATCH
            : Reason.MALFORMED_SIGNATURE;
    assertRejected(
        () -> verifier(secret).verify(header, body), expected, hidden(secret, header, body));
    assertThat(e.getMessage()).doesNotContain(signature).doesNotContain(changed);
  }

  @Property(tries = 1000)
  void any_single_character_change_anywhere_in_the_header_is_refused(
      @ForAll("secrets") String secret,
      @ForAll("bodies") byte[] body,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
      @ForAll @IntRange(min = 1, max = 0x7f) int offset) {
    String header = "t=" + NOW + ",v1=" + sign(secret, NOW, body);
    int i = where % header.length();
    // Any other ASCII character, never the one that was there.
    char replaced = (char) ((header.charAt(i) + offset) % 0x80);
    String changed = header.substring(0, i) + replaced + header.substring(i + 1);

    WebhookRejectedException e =
        catchThrowableOfType(
            WebhookRejectedException.class, () -> verifier(secret).verify(changed, body));

    assertThat(e).as("refused: " + changed).isNotNull();
    // A changed digit of t can also land outside the tolerance; every reason but a missing header
    // is possible, and none shows the secret, the header or the body.
    assertThat(e.reason()).isNotEqualTo(Reason.MISSING_SIGNATURE);
    assertRejected(
        () -> verifier(secret).verify(changed, body), e.reason(), hidden(secret, changed, body));
  }

  @Property(tries = 1000)
  void a_signature_under_another_secret_is_refused(
      @ForAll("secrets") String secret,
      @ForAll("secrets") String random,
      @ForAll("bodies") byte[] body) {
    String other = random.equals(secret) ? random + "x" : random;
    String header = "t=" + NOW + ",v1=" + sign(other, NOW, body);

    assertRejected(
        () -> verifier(secret).verify(header, body),
        Reason.SIGNATURE_MISMATCH,
        List.of(secret, other, header));
  }

  @Property(tries = 1000)
  void outside_the_tolerance_a_correct_signature_is_refused_by_its_age(
      @ForAll("secrets") String secret,
      @ForAll @Size(max = 64) byte[] body,
      @ForAll @IntRange(min = TOLERANCE + 1, max = 100_000_000) int distance,
      @ForAll boolean future) {
    long t = future ? NOW + distance : NOW - distance;
    String header = "t=" + t + ",v1=" + sign(secret, t, body);

    assertRejected(
        () -> verifier(secret).verify(header, body),
        future ? Reason.TIMESTAMP_IN_FUTURE : Reason.TIMESTAMP_TOO_OLD,
        hidden(secret, header, body));
  }
}
