package dev.billingsdk.flutterwave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.InvalidRequestException;
import org.junit.jupiter.api.Test;

class FlutterwaveSecretHashTest {
  static final String HASH = "my-Dashboard-hash_7Hq2";

  static InvalidRequestException refused(String text) {
    InvalidRequestException e =
        catchThrowableOfType(InvalidRequestException.class, () -> FlutterwaveSecretHash.of(text));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.field()).isEqualTo("webhookSecretHash");
    assertThat(e.getMessage()).doesNotContain(HASH);
    return e;
  }

  @Test
  void isRedacted() {
    FlutterwaveSecretHash hash = FlutterwaveSecretHash.of(HASH);
    assertThat(hash.toString()).isEqualTo("FlutterwaveSecretHash[(redacted)]").doesNotContain(HASH);
    assertThat(hash).isEqualTo(FlutterwaveSecretHash.of(HASH));
    assertThat(hash).isNotEqualTo(FlutterwaveSecretHash.of(HASH + "x"));
    assertThat(hash.hashCode()).isEqualTo(FlutterwaveSecretHash.of(HASH).hashCode());
    assertThat(FlutterwaveSecretHash.of("x").toString()).doesNotContain("x]");
  }

  @Test
  void takesOneTo256VisibleAsciiCharacters() {
    assertThat(FlutterwaveSecretHash.of("!").toString()).contains("redacted");
    assertThat(FlutterwaveSecretHash.of("~".repeat(256))).isNotNull();
    assertThat(refused("").getMessage()).contains("empty");
    assertThat(refused(HASH + "\n").getMessage()).contains("trailing newline");
    assertThat(refused(HASH + " x").value()).isEqualTo("(redacted)");
    assertThat(refused(HASH + "é").value()).isEqualTo("(redacted)");
    assertThat(refused(HASH.repeat(20)).getMessage()).contains("256");
    assertThat(refused(null).getMessage()).contains("required");
  }

  @Test
  void isNotEqualToItsText() {
    assertThat(FlutterwaveSecretHash.of(HASH).equals(HASH)).isFalse();
  }
}
