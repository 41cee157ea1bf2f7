package dev.billingsdk.stripe.internal;

import static dev.billingsdk.stripe.internal.StripeSigning.assertRejected;
import static dev.billingsdk.stripe.internal.StripeSigning.header;
import static dev.billingsdk.stripe.internal.StripeSigning.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.payment.WebhookRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StripeSignatureVerifierTest {

  static final String SECRET = "whsec_test_3sFq0Rk9LmXv";
  static final String OLD_SECRET = "whsec_test_old_8Ju2wQpZ";
  static final String OTHER_SECRET = "whsec_test_not_this_one";
  static final long NOW = 1_764_750_000L; // 2025-12-03T08:20:00Z
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  static final byte[] BODY =
      "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\"}"
          .getBytes(StandardCharsets.UTF_8);
  static final String BODY_TEXT = new String(BODY, StandardCharsets.UTF_8);

  static final StripeSignatureVerifier VERIFIER =
      StripeSignatureVerifier.of(WebhookSecret.of(SECRET), CLOCK);

  /** What no message may show: the secrets, the body, and every signature or header used here. */
  static List<String> hidden(String... more) {
    List<String> all = new ArrayList<>(List.of(SECRET, OLD_SECRET, OTHER_SECRET, BODY_TEXT));
    all.addAll(Arrays.asList(more));
    return all;
  }

  static String goodSignature() {
    return sign(SECRET, NOW, BODY);
  }

  @Nested
  class Accepts {

    @Test
    void a_delivery_signed_with_the_secret_and_returns_its_timestamp() {
      assertThat(VERIFIER.verify(header(SECRET, NOW, BODY), BODY))
          .isEqualTo(Instant.ofEpochSecond(NOW));
    }

    @Test
    void the_header_whatever_the_case_of_its_name() {
      for (String name : List.of("Stripe-Signature", "stripe-signature", "STRIPE-SIGNATURE")) {
        Map<String, List<String>> headers =
            Map.of("Content-Type", List.of("application/json"), name, List.of(goodHeader()));

        assertThat(VERIFIER.verify(headers, BODY)).as(name).isEqualTo(Instant.ofEpochSecond(NOW));
      }
    }

    @Test
    void headers_with_a_null_name_as_http_url_connection_gives_them() {
      Map<String, List<String>> headers = new HashMap<>();
      headers.put(null, List.of("HTTP/1.1 200 OK"));
      headers.put("stripe-signature", List.of(goodHeader()));

      assertThat(VERIFIER.verify(headers, BODY)).isEqualTo(Instant.ofEpochSecond(NOW));
    }

    @Test
    void a_delivery_signed_with_either_secret_while_one_is_rolled() {
      StripeSignatureVerifier rolling =
          StripeSignatureVerifier.of(
              List.of(WebhookSecret.of(SECRET), WebhookSecret.of(OLD_SECRET)),
              StripeSignatureVerifier.DEFAULT_TOLERANCE,
              CLOCK);
      String newOnly = header(SECRET, NOW, BODY);
      String oldOnly = header(OLD_SECRET, NOW, BODY);
      // What Stripe sends while both secrets are active: one v1 per secret.
      String both = oldOnly + ",v1=" + sign(SECRET, NOW, BODY);

      assertThat(rolling.verify(newOnly, BODY)).isEqualTo(Instant.ofEpochSecond(NOW));
      assertThat(rolling.verify(oldOnly, BODY)).isEqualTo(Instant.ofEpochSecond(NOW));
      assertThat(rolling.verify(both, BODY)).isEqualTo(Instant.ofEpochSecond(NOW));
      assertRejected(
          () -> rolling.verify(header(OTHER_SECRET, NOW, BODY), BODY),
          Reason.SIGNATURE_MISMATCH,
          hidden(newOnly, oldOnly));
    }

    @Test
    void several_v1_signatures_of_which_one_matches_wherever_it_stands() {
      String wrong1 = sign(OTHER_SECRET, NOW, BODY);
      String wrong2 = sign(OLD_SECRET, NOW, BODY);
      String good = goodSignature();

      for (List<String> order :
          List.of(
              List.of(good, wrong1, wrong2),
              List.of(wrong1, good, wrong2),
              List.of(wrong1, wrong2, good))) {
        String header = "t=" + NOW + ",v1=" + String.join(",v1=", order);

        assertThat(VERIFIER.verify(header, BODY)).as(header).isEqualTo(Instant.ofEpochSecond(NOW));
      }
    }

    @Test
    void other_schemes_and_unknown_elements_are_ignored() {
      String header =
          "t="
              + NOW
              + ",v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39"
              + ",v1="
              + goodSignature()
              + ",v2=not-hex-and-not-64-long,foo=bar,x=";

      assertThat(VERIFIER.verify(header, BODY)).isEqualTo(Instant.ofEpochSecond(NOW));
    }

    @Test
    void the_timestamp_first_or_last() {
      String header = "v1=" + goodSignature() + ",t=" + NOW;

      assertThat(VERIFIER.verify(header, BODY)).isEqualTo(Instant.ofEpochSecond(NOW));
    }

    @Test
    void the_timestamp_as_written_with_leading_zeros_as_it_was_signed() {
      String written = "0" + NOW;
      String header = "t=" + written + ",v1=" + sign(SECRET, written, BODY);

      assertThat(VERIFIER.verify(header, BODY)).isEqualTo(Instant.ofEpochSecond(NOW));
    }

    @Test
    void the_raw_body_bytes_even_when_they_are_not_utf_8() {
      byte[] notUtf8 = {'{', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '}'};
      byte[] reEncoded =
          new String(notUtf8, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);

      assertThat(VERIFIER.verify(header(SECRET, NOW, notUtf8), notUtf8))
          .isEqualTo(Instant.ofEpochSecond(NOW));
      // A verifier that decoded and re-encoded the body would have signed these bytes instead.
      assertThat(reEncoded).isNotEqualTo(notUtf8);
      assertRejected(
          () -> VERIFIER.verify(header(SECRET, NOW, reEncoded), notUtf8),
          Reason.SIGNATURE_MISMATCH,
          hidden());
    }

    @Test
    void an_empty_body_signed_as_such() {
      byte[] empty = new byte[0];

      assertThat(VERIFIER.verify(header(SECRET, NOW, empty), empty))
          .isEqualTo(Instant.ofEpochSecond(NOW));
    }
  }

  @Nested
  class Mismatch {

    @Test
    void a_body_with_one_byte_changed() {
      byte[] tampered = BODY.clone();
      tampered[10] ^= 0x01;

      assertRejected(
          () -> VERIFIER.verify(goodHeader(), tampered),
          Reason.SIGNATURE_MISMATCH,
          hidden(goodSignature(), goodHeader(), new String(tampered, StandardCharsets.UTF_8)));
    }

    @Test
    void a_body_with_one_byte_more() {
      byte[] longer = Arrays.copyOf(BODY, BODY.length + 1);

      assertRejected(
          () -> VERIFIER.verify(goodHeader(), longer),
          Reason.SIGNATURE_MISMATCH,
          hidden(goodSignature()));
    }

    @Test
    void a_delivery_signed_with_another_secret() {
      String header = header(OTHER_SECRET, NOW, BODY);

      WebhookRejectedException e =
          assertRejected(
              () -> VERIFIER.verify(header, BODY),
              Reason.SIGNATURE_MISMATCH,
              hidden(header, sign(OTHER_SECRET, NOW, BODY)));
      assertThat(e.getMessage())
          .isEqualTo(
              "stripe webhook rejected: SIGNATURE_MISMATCH (none of the 1 v1 signatures matches"
                  + " the body under any of the 1 configured secrets)");
    }

    @Test
    void a_timestamp_changed_after_signing() {
      String header = "t=" + (NOW + 1) + ",v1=" + goodSignature();

      assertRejected(
          () -> VERIFIER.verify(header, BODY), Reason.SIGNATURE_MISMATCH, hidden(header));
    }

    @Test
    void a_valid_v0_does_not_stand_in_for_v1() {
      // Downgrade: the right HMAC under a scheme other than v1 counts for nothing.
      String header =
          "t=" + NOW + ",v0=" + goodSignature() + ",v1=" + sign(OTHER_SECRET, NOW, BODY);

      assertRejected(
          () -> VERIFIER.verify(header, BODY), Reason.SIGNATURE_MISMATCH, hidden(header));
    }

    @Test
    void a_forged_old_delivery_is_a_mismatch_not_a_stale_timestamp() {
      // The timestamp is only trusted once the signature matches.
      String header = header(OTHER_SECRET, NOW - 3600, BODY);

      assertRejected(
          () -> VERIFIER.verify(header, BODY), Reason.SIGNATURE_MISMATCH, hidden(header));
    }
  }

  @Nested
  class Timestamp {

    @Test
    void signed_longer_ago_than_the_tolerance() {
      String header = header(SECRET, NOW - 301, BODY);

      WebhookRejectedException e =
          assertRejected(
              () -> VERIFIER.verify(header, BODY), Reason.TIMESTAMP_TOO_OLD, hidden(header));
      assertThat(e.getMessage()).contains("301 s before the clock").contains("tolerance is 300 s");
    }

    @Test
    void signed_further_ahead_than_the_tolerance() {
      String header = header(SECRET, NOW + 301, BODY);

      WebhookRejectedException e =
          assertRejected(
              () -> VERIFIER.verify(header, BODY), Reason.TIMESTAMP_IN_FUTURE, hidden(header));
      assertThat(e.getMessage()).contains("301 s after the clock").contains("tolerance is 300 s");
    }

    @Test
    void exactly_at_the_tolerance_either_way_passes_and_one_second_beyond_does_not() {
      assertThat(VERIFIER.verify(header(SECRET, NOW - 300, BODY), BODY))
          .isEqualTo(Instant.ofEpochSecond(NOW - 300));
      assertThat(VERIFIER.verify(header(SECRET, NOW + 300, BODY), BODY))
          .isEqualTo(Instant.ofEpochSecond(NOW + 300));
      assertRejected(
          () -> VERIFIER.verify(header(SECRET, NOW - 301, BODY), BODY),
          Reason.TIMESTAMP_TOO_OLD,
          hidden());
      assertRejected(
          () -> VERIFIER.verify(header(SECRET, NOW + 301, BODY), BODY),
          Reason.TIMESTAMP_IN_FUTURE,
          hidden());
    }

    @Test
    void the_edge_is_exact_to_the_clock_s_nanosecond() {
      // Half a second past NOW: NOW - 300 is then 300.5 s old, beyond the tolerance.
      Clock halfPast = Clock.fixed(Instant.ofEpochSecond(NOW, 500_000_000), ZoneOffset.UTC);
      StripeSignatureVerifier verifier =
          StripeSignatureVerifier.of(WebhookSecret.of(SECRET), halfPast);

      assertRejected(
          () -> verifier.verify(header(SECRET, NOW - 300, BODY), BODY),
          Reason.TIMESTAMP_TOO_OLD,
          hidden());
      assertThat(verifier.verify(header(SECRET, NOW + 300, BODY), BODY))
          .isEqualTo(Instant.ofEpochSecond(NOW + 300));
    }

    @Test
    void a_configured_tolerance_is_used_and_the_clock_is_read_at_each_call() {
      MutableClock clock = new MutableClock(Instant.ofEpochSecond(NOW));
      StripeSignatureVerifier verifier =
          StripeSignatureVerifier.of(
              List.of(WebhookSecret.of(SECRET)), Duration.ofSeconds(10), clock);
      String header = header(SECRET, NOW, BODY);

      assertThat(verifier.tolerance()).isEqualTo(Duration.ofSeconds(10));
      clock.now = Instant.ofEpochSecond(NOW + 10);
      assertThat(verifier.verify(header, BODY)).isEqualTo(Instant.ofEpochSecond(NOW));
      clock.now = Instant.ofEpochSecond(NOW + 11);
      assertRejected(() -> verifier.verify(header, BODY), Reason.TIMESTAMP_TOO_OLD, hidden());
      clock.now = Instant.ofEpochSecond(NOW - 11);
      assertRejected(() -> verifier.verify(header, BODY), Reason.TIMESTAMP_IN_FUTURE, hidden());
    }

    @Test
    void the_default_tolerance_is_stripe_s_five_minutes() {
      assertThat(VERIFIER.tolerance()).isEqualTo(Duration.ofSeconds(300));
    }
  }

  @Nested
  class Missing {

    @Test
    void no_header_value() {
      WebhookRejectedException e =
          assertRejected(
              () -> VERIFIER.verify((String) null, BODY), Reason.MISSING_SIGNATURE, hidden());
      assertThat(e.getMessage()).contains("no Stripe-Signature header");
    }

    @Test
    void no_header_among_the_request_s_headers() {
      Map<String, List<String>> headers = Map.of("Content-Type", List.of("application/json"));

      assertRejected(() -> VERIFIER.verify(headers, BODY), Reason.MISSING_SIGNATURE, hidden());
      assertRejected(() -> VERIFIER.verify(Map.of(), BODY), Reason.MISSING_SIGNATURE, hidden());
    }

    @Test
    void the_header_named_with_no_value() {
      Map<String, List<String>> headers = Map.of("Stripe-Signature", List.of());

      assertRejected(() -> VERIFIER.verify(headers, BODY), Reason.MISSING_SIGNATURE, hidden());
    }
  }

  @Nested
  class Malformed {

    static Stream<Arguments> headers() {
      String sig = sign(SECRET, NOW, BODY);
      String t = "t=" + NOW;
      return Stream.of(
          Arguments.of("empty", ""),
          Arguments.of("a space only", " "),
          Arguments.of("no t", "v1=" + sig),
          Arguments.of("no v1", t),
          Arguments.of("only v0", t + ",v0=" + sig),
          Arguments.of("t not numeric", "t=abc,v1=" + sig),
          Arguments.of("t empty", "t=,v1=" + sig),
          Arguments.of("t negative", "t=-" + NOW + ",v1=" + sig),
          Arguments.of("t with a plus sign", "t=+" + NOW + ",v1=" + sig),
          Arguments.of("t with a fraction", t + ".5,v1=" + sig),
          Arguments.of("t in hex", "t=0x69300000,v1=" + sig),
          Arguments.of("t with non-ASCII digits", "t=\u0661\u0662\u0663,v1=" + sig),
          Arguments.of("t of 13 digits", "t=1" + "0".repeat(12) + ",v1=" + sig),
          Arguments.of("t absurdly long", "t=" + "9".repeat(400) + ",v1=" + sig),
          Arguments.of("t twice, same value", t + "," + t + ",v1=" + sig),
          Arguments.of("t twice, other value", t + ",t=1,v1=" + sig),
          Arguments.of("v1 empty", t + ",v1="),
          Arguments.of("v1 too short", t + ",v1=" + sig.substring(2)),
          Arguments.of("v1 too long", t + ",v1=" + sig + "00"),
          Arguments.of("v1 not hex", t + ",v1=" + "g" + sig.substring(1)),
          Arguments.of("v1 upper-case hex", t + ",v1=" + sig.toUpperCase(java.util.Locale.ROOT)),
          Arguments.of("v1 in base64", t + ",v1=UlehqefsvtOjKv+mLNyj+lHK1+d6Dlb/U20M5uEI2L0="),
          Arguments.of("one v1 good, one malformed", t + ",v1=" + sig + ",v1=xyz"),
          Arguments.of("an empty element", t + ",,v1=" + sig),
          Arguments.of("a trailing comma", t + ",v1=" + sig + ","),
          Arguments.of("a leading comma", "," + t + ",v1=" + sig),
          Arguments.of("an element without =", t + ",v1=" + sig + ",garbage"),
          Arguments.of("an element with an empty key", t + ",=x,v1=" + sig),
          Arguments.of("spaces after the commas", t + ", v1=" + sig),
          Arguments.of("semicolons, not commas", t + ";v1=" + sig),
          Arguments.of("nine v1", t + (",v1=" + sig).repeat(9)),
          Arguments.of("longer than 4096", t + ",v1=" + sig + ",v0=" + "a".repeat(4096)),
          Arguments.of("not a header at all", "Bearer abc"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void is_refused_as_malformed(String what, String header) {
      assertRejected(
          () -> VERIFIER.verify(header, BODY),
          Reason.MALFORMED_SIGNATURE,
          hidden(header, goodSignature()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void is_refused_as_malformed_from_the_headers_map_too(String what, String header) {
      assertRejected(
          () -> VERIFIER.verify(Map.of("stripe-signature", List.of(header)), BODY),
          Reason.MALFORMED_SIGNATURE,
          hidden(header, goodSignature()));
    }

    @Test
    void eight_v1_are_still_read() {
      String header = "t=" + NOW + (",v1=" + goodSignature()).repeat(8);

      assertThat(VERIFIER.verify(header, BODY)).isEqualTo(Instant.ofEpochSecond(NOW));
    }

    @Test
    void the_header_sent_twice() {
      Map<String, List<String>> headers =
          Map.of("Stripe-Signature", List.of(goodHeader(), goodHeader()));

      WebhookRejectedException e =
          assertRejected(
              () -> VERIFIER.verify(headers, BODY),
              Reason.MALFORMED_SIGNATURE,
              hidden(goodHeader()));
      assertThat(e.getMessage()).contains("present 2 times");
    }

    @Test
    void the_header_under_two_spellings_of_its_name() {
      Map<String, List<String>> headers = new HashMap<>();
      headers.put("Stripe-Signature", List.of(goodHeader()));
      headers.put("stripe-signature", List.of(goodHeader()));

      assertRejected(
          () -> VERIFIER.verify(headers, BODY), Reason.MALFORMED_SIGNATURE, hidden(goodHeader()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"t", "v1", "t=", "=", "=="})
    void fragments(String header) {
      assertRejected(() -> VERIFIER.verify(header, BODY), Reason.MALFORMED_SIGNATURE, hidden());
    }
  }

  @Nested
  class Configuration {

    @Test
    void one_or_two_secrets() {
      WebhookSecret a = WebhookSecret.of(SECRET);
      WebhookSecret b = WebhookSecret.of(OLD_SECRET);
      WebhookSecret c = WebhookSecret.of(OTHER_SECRET);

      assertRefused(
          () -> StripeSignatureVerifier.of(List.of(), Duration.ofMinutes(5), CLOCK), "secrets");
      assertRefused(
          () -> StripeSignatureVerifier.of(List.of(a, b, c), Duration.ofMinutes(5), CLOCK),
          "secrets");
      List<WebhookSecret> withNull = new ArrayList<>();
      withNull.add(a);
      withNull.add(null);
      assertRefused(
          () -> StripeSignatureVerifier.of(withNull, Duration.ofMinutes(5), CLOCK), "secrets[]");
      assertThat(StripeSignatureVerifier.of(List.of(a, b), Duration.ofMinutes(5), CLOCK))
          .isNotNull();
    }

    @Test
    void a_positive_tolerance_of_at_most_an_hour() {
      List<WebhookSecret> one = List.of(WebhookSecret.of(SECRET));

      assertRefused(() -> StripeSignatureVerifier.of(one, Duration.ZERO, CLOCK), "tolerance");
      assertRefused(
          () -> StripeSignatureVerifier.of(one, Duration.ofSeconds(-1), CLOCK), "tolerance");
      assertRefused(
          () -> StripeSignatureVerifier.of(one, Duration.ofHours(1).plusNanos(1), CLOCK),
          "tolerance");
      assertThat(StripeSignatureVerifier.of(one, Duration.ofHours(1), CLOCK).tolerance())
          .isEqualTo(Duration.ofHours(1));
      assertThat(StripeSignatureVerifier.of(one, Duration.ofNanos(1), CLOCK).tolerance())
          .isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void nothing_is_null() {
      WebhookSecret a = WebhookSecret.of(SECRET);
      List<WebhookSecret> one = List.of(a);

      assertRefused(() -> StripeSignatureVerifier.of(null, CLOCK), "secret");
      assertRefused(() -> StripeSignatureVerifier.of(a, null), "clock");
      assertRefused(
          () -> StripeSignatureVerifier.of(null, Duration.ofMinutes(5), CLOCK), "secrets");
      assertRefused(() -> StripeSignatureVerifier.of(one, null, CLOCK), "tolerance");
      assertRefused(() -> VERIFIER.verify(goodHeader(), null), "body");
      assertRefused(() -> VERIFIER.verify((Map<String, List<String>>) null, BODY), "headers");
    }

    @Test
    void the_secrets_list_is_copied() {
      List<WebhookSecret> secrets = new ArrayList<>(List.of(WebhookSecret.of(SECRET)));
      StripeSignatureVerifier verifier =
          StripeSignatureVerifier.of(secrets, Duration.ofMinutes(5), CLOCK);
      secrets.set(0, WebhookSecret.of(OTHER_SECRET));

      assertThat(verifier.verify(goodHeader(), BODY)).isEqualTo(Instant.ofEpochSecond(NOW));
    }

    @Test
    void its_description_shows_no_secret() {
      StripeSignatureVerifier rolling =
          StripeSignatureVerifier.of(
              List.of(WebhookSecret.of(SECRET), WebhookSecret.of(OLD_SECRET)),
              Duration.ofMinutes(5),
              CLOCK);

      assertThat(rolling.toString())
          .isEqualTo("StripeSignatureVerifier[secrets=2, tolerance=PT5M, clock=" + CLOCK + "]")
          .doesNotContain(SECRET)
          .doesNotContain(OLD_SECRET);
    }

    private void assertRefused(
        org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
      InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call);
      assertThat(e).as("refused").isNotNull();
      assertThat(e.field()).isEqualTo(field);
      assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(OLD_SECRET);
    }
  }

  static String goodHeader() {
    return header(SECRET, NOW, BODY);
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
