package dev.billingsdk.flutterwave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.InvalidRequestException;
import org.junit.jupiter.api.Test;

class FlutterwaveSecretKeyTest {
  static final String TEST_KEY = "FLWSECK_TEST-0123456789abcdef0123456789abcdef-X";
  static final String LIVE_KEY = "FLWSECK-fedcba9876543210fedcba9876543210-X";

  static InvalidRequestException refused(String text) {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> FlutterwaveSecretKey.of(text));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.field()).isEqualTo("secretKey");
    if (text != null) {
      // The distinctive part after any prefix never shows; nor does the value.
      if (text.length() > 20) {
        assertThat(e.getMessage()).doesNotContain(text.substring(14, 20));
      }
      assertThat(e.value()).isEqualTo("(redacted)");
    }
    return e;
  }

  @Test
  void takesTestAndLiveKeysAndShowsOnlyTheMode() {
    FlutterwaveSecretKey test = FlutterwaveSecretKey.of(TEST_KEY);
    FlutterwaveSecretKey live = FlutterwaveSecretKey.of(LIVE_KEY);

    assertThat(test.testMode()).isTrue();
    assertThat(live.testMode()).isFalse();
    assertThat(test.toString()).isEqualTo("FlutterwaveSecretKey[FLWSECK_TEST-***]");
    assertThat(live.toString())
        .isEqualTo("FlutterwaveSecretKey[FLWSECK-***]")
        .doesNotContain("fedc");
    assertThat(test).isEqualTo(FlutterwaveSecretKey.of(TEST_KEY)).isNotEqualTo(live);
    assertThat(test.hashCode()).isEqualTo(FlutterwaveSecretKey.of(TEST_KEY).hashCode());
  }

  @Test
  void refusesWhatIsNotASecretKeyWithoutShowingIt() {
    assertThat(refused("FLWPUBK_TEST-0123456789abcdef0123456789abcdef-X").getMessage())
        .contains("FLWSECK-");
    refused("sk_test_0123456789abcdef0123456789abcdef");
    refused("FLWSECK-");
    refused("FLWSECK_TEST-");
    refused(TEST_KEY + "\n");
    refused(" " + TEST_KEY);
    refused("FLWSECK-0123456789abcdéf-X");
    refused("FLWSECK-" + "a".repeat(300));
    assertThat(refused(null).getMessage()).contains("required");
  }

  @Test
  void hasNoPublicAccessorForTheText() {
    assertThat(FlutterwaveSecretKey.class.getMethods())
        .noneMatch(
            m ->
                m.getReturnType() == String.class
                    && m.getParameterCount() == 0
                    && !m.getName().equals("toString"));
  }

  @Test
  void isNotEqualToItsText() {
    assertThat(FlutterwaveSecretKey.of(TEST_KEY).equals(TEST_KEY)).isFalse();
  }
}
