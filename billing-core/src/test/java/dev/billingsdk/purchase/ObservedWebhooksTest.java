package dev.billingsdk.purchase;

import static dev.billingsdk.purchase.ScriptedProvider.signed;
import static dev.billingsdk.purchase.ScriptedProvider.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.payment.ProviderEvent.Kind;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.RecordingObserver;
import dev.billingsdk.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the observer is told about webhook deliveries: each one refused before anything is stored,
 * with the configured provider's name and the check that failed; never a name the request made up.
 */
class ObservedWebhooksTest {
  final RecordingObserver observed = new RecordingObserver();
  final Billing billing =
      Billing.builder()
          .store(InMemoryBillingStore.create())
          .clock(new TestClock(Instant.parse("2026-12-01T09:00:00Z")))
          .catalogue(InMemoryCatalogueStore.create())
          .purchases(InMemoryPurchaseStore.create(), InMemoryPurchaseStore.create())
          .paymentProvider(new ScriptedProvider())
          .observer(observed, observed.ticker())
          .build();

  @Test
  void refused_deliveries_are_told_by_provider_and_reason() {
    byte[] body = webhook("evt_1", Kind.CHECKOUT_COMPLETED, "cs_1");
    Map<String, List<String>> badSignature = Map.of("X-Signature", List.of("forged"));

    assertThatThrownBy(() -> billing.purchases().handleWebhook("scripted", body, badSignature))
        .isInstanceOf(WebhookRejectedException.class);
    assertThatThrownBy(
            () ->
                billing
                    .purchases()
                    .handleWebhook(
                        "scripted", "garbage".getBytes(StandardCharsets.UTF_8), signed()))
        .isInstanceOf(WebhookRejectedException.class);
    assertThatThrownBy(() -> billing.purchases().handleWebhook("attacker-chosen", body, signed()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> billing.purchases().handleWebhook("scripted", null, signed()))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(observed.calls)
        .containsExactly(
            "webhookRejected(scripted, signature_mismatch)",
            "webhookRejected(scripted, malformed_payload)",
            "webhookRejected(unknown, unknown_provider)",
            "webhookRejected(scripted, invalid_request)");
  }

  @Test
  void an_accepted_delivery_is_not_a_rejection() {
    billing
        .purchases()
        .handleWebhook("scripted", webhook("evt_2", Kind.OTHER, "cs_unknown"), signed());

    assertThat(observed.of("webhookRejected")).isEmpty();
  }
}
