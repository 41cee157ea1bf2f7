package dev.billingsdk.stripe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.payment.WebhookRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The tests' own Stripe signer, written from Stripe's documented scheme (HMAC-SHA256 over {@code t
 * + "." + body}, hex), independent of the verifier's code, and the check every rejection must pass:
 * the typed exception, provider {@code stripe}, the reason, and a message that shows nothing
 * secret.
 */
final class StripeSigning {

  private StripeSigning() {}

  /** The lower-case hex HMAC-SHA256 of {@code timestamp + "." + body} under {@code secret}. */
  static String sign(String secret, long timestamp, byte[] body) {
    return sign(secret, Long.toString(timestamp), body);
  }

  static String sign(String secret, String timestampText, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(timestampText.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      mac.update(body);
      return HexFormat.of().formatHex(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** A header as Stripe sends it: {@code t=...,v1=...}. */
  static String header(String secret, long timestamp, byte[] body) {
    return "t=" + timestamp + ",v1=" + sign(secret, timestamp, body);
  }

  /**
   * Asserts that {@code call} is refused with {@code reason}, and that the message holds none of
   * {@code secrets} (each of them as given) nor any of {@code hidden} (signatures, headers,
   * bodies).
   */
  static WebhookRejectedException assertRejected(
      ThrowingCallable call, Reason reason, List<String> hidden) {
    WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class, call);
    assertThat(e).as("refused with WebhookRejectedException").isNotNull();
    assertThat(e.provider()).isEqualTo("stripe");
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    assertThat(e.getMessage()).contains(reason.name()).startsWith("stripe webhook rejected");
    for (String text : hidden) {
      if (text.length() >= 8) { // a short text (say "t=1") can appear by chance
        assertThat(e.getMessage()).as("the message shows nothing secret").doesNotContain(text);
      }
    }
    assertThat(e.getCause()).isNull();
    return e;
  }
}
