package dev.billingsdk.stripe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.stripe.StripeApiKey;
import dev.billingsdk.stripe.testing.FakeStripe;
import dev.billingsdk.stripe.testing.MutableClock;
import dev.billingsdk.stripe.testing.WebhookDelivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FakeStripe's webhook deliveries are what the adapter's own verifier accepts, as Stripe's are. */
class FakeStripeSignaturesVerifyTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

  @Test
  void theFakesDeliveriesPassTheVerifierAndATamperedOneDoesNot() {
    try (FakeStripe fake = FakeStripe.builder().clock(clock).start()) {
      StripeHttp http =
          StripeHttp.builder(StripeApiKey.of(fake.secretKey())).baseUri(fake.baseUri()).build();
      String session =
          http.post(
                  "/v1/checkout/sessions",
                  Map.of(
                      "mode",
                      "payment",
                      "line_items",
                      List.of(
                          Map.of(
                              "quantity",
                              1,
                              "price_data",
                              Map.of(
                                  "currency",
                                  "usd",
                                  "unit_amount",
                                  500,
                                  "product_data",
                                  Map.of("name", "credits"))))),
                  "k-1")
              .get("id")
              .asText();
      WebhookDelivery paid = fake.pay(session);
      StripeSignatureVerifier verifier =
          StripeSignatureVerifier.of(WebhookSecret.of(fake.webhookSecret()), clock);

      assertThat(verifier.verify(paid.signatureHeader(), bytes(paid.payload())))
          .isEqualTo(Instant.ofEpochSecond(paid.timestamp()));
      assertThatThrownBy(() -> verifier.verify(paid.signatureHeader(), bytes(paid.payload() + " ")))
          .isInstanceOf(WebhookRejectedException.class);
      clock.advance(Duration.ofHours(1));
      assertThatThrownBy(() -> verifier.verify(paid.signatureHeader(), bytes(paid.payload())))
          .isInstanceOf(WebhookRejectedException.class);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
