package dev.billingsdk.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StripeApiKeyTest {

  @Test
  void takesSecretAndRestrictedKeysInBothModes() {
    StripeApiKey test = StripeApiKey.of("sk_test_abc123");
    assertThat(test.secret()).isEqualTo("sk_test_abc123");
    assertThat(test.livemode()).isFalse();
    assertThat(test.restricted()).isFalse();
    assertThat(StripeApiKey.of("sk_live_abc").livemode()).isTrue();
    assertThat(StripeApiKey.of("rk_test_abc").restricted()).isTrue();
    StripeApiKey restrictedLive = StripeApiKey.of("rk_live_abc");
    assertThat(restrictedLive.livemode()).isTrue();
    assertThat(restrictedLive.restricted()).isTrue();
  }

  @Test
  void toStringShowsTheKindOnly() {
    assertThat(StripeApiKey.of("sk_live_SuperSecret1234").toString())
        .isEqualTo("StripeApiKey[sk_live_***]")
        .doesNotContain("SuperSecret")
        .doesNotContain("1234");
    assertThat(StripeApiKey.of("rk_test_x")).hasToString("StripeApiKey[rk_test_***]");
  }

  @Test
  void refusesBlankPublishableOrMalformedKeysWithoutRepeatingThem() {
    for (String bad :
        List.of(
            "",
            "   ",
            "pk_test_Secret999",
            "sk_test_",
            "sk_Secret999",
            "Secret999",
            "sk_test_Secret 999",
            "sk_test_Secret\n999",
            "sk_test_Sécret999",
            "sk_test_Secret\u007f999")) {
      assertThatThrownBy(() -> StripeApiKey.of(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Secret"));
    }
    assertThatThrownBy(() -> StripeApiKey.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void equalKeysAreEqual() {
    assertThat(StripeApiKey.of("sk_test_a"))
        .isEqualTo(StripeApiKey.of("sk_test_a"))
        .hasSameHashCodeAs(StripeApiKey.of("sk_test_a"))
        .isNotEqualTo(StripeApiKey.of("sk_test_b"))
        .isNotEqualTo("sk_test_a")
        .isNotEqualTo(null);
  }
}
