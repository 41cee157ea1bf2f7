package dev.billingsdk.stripe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSecretTest {

  @Test
  void a_stripe_signing_secret_is_taken_and_never_shown() {
    WebhookSecret secret = WebhookSecret.of("whsec_Zp4tq9Kd0AbC");

    assertThat(secret.toString()).isEqualTo("WebhookSecret[(redacted)]").doesNotContain("Zp4tq9");
    assertThat(secret.key().getAlgorithm()).isEqualTo("HmacSHA256");
  }

  @Test
  void the_whole_text_prefix_included_is_the_key() {
    byte[] key = WebhookSecret.of("whsec_abc").key().getEncoded();

    assertThat(new String(key, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("whsec_abc");
  }

  @Test
  void the_longest_secret_taken_is_256_characters() {
    String longest = WebhookSecret.PREFIX + "a".repeat(WebhookSecret.MAX_LENGTH - 6);

    assertThat(WebhookSecret.of(longest)).isNotNull();
    assertRefused(longest + "a", "longer than 256");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "   ", "\n",
      })
  void a_blank_secret_is_refused(String blank) {
    assertRefused(blank, "must not be blank");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "whsec_abc\n", // read from a file with its newline
        "whsec_a bc",
        " whsec_abc",
        "whsec_abc\u0000",
        "whsec_abc\u007f",
        "whsec_ab\u00e9",
        "whsec_ab\u00a0c",
      })
  void a_secret_with_anything_but_visible_ascii_is_refused(String secret) {
    assertRefused(secret, "non-ASCII");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sk_live_51Habcdefghijklmnop", // an API key configured in its place
        "rk_test_51Habcdefghijklmnop",
        "pk_live_51Habcdefghijklmnop",
        "WHSEC_abcdefghijklmnop",
        "whsec_", // the prefix alone
        "abcdefghijklmnop",
      })
  void a_secret_that_is_not_a_webhook_signing_secret_is_refused(String secret) {
    assertRefused(secret, "starts with whsec_");
  }

  @Test
  void a_null_secret_is_refused() {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> WebhookSecret.of(null));

    assertThat(e.field()).isEqualTo("webhookSecret");
    assertThat(e.getMessage()).contains("is required");
  }

  private static void assertRefused(String secret, String why) {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> WebhookSecret.of(secret));

    assertThat(e).as("refused").isNotNull();
    assertThat(e.field()).isEqualTo("webhookSecret");
    assertThat(e.value()).isEqualTo("(redacted)");
    assertThat(e.getMessage()).contains(why);
    // The prefix alone is no secret: the message names it on purpose.
    if (!secret.isBlank() && !secret.equals(WebhookSecret.PREFIX)) {
      assertThat(e.getMessage()).doesNotContain(secret.strip());
    }
  }
}
