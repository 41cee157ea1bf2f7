package dev.billingsdk.stripe.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FakeStripe's PaymentIntents on the wire: refunds of paid ones, and off-session payments with a
 * saved payment method.
 */
class FakeStripePaymentIntentTest extends FakeStripeHarness {
  @Test
  void refundsAPaidPaymentIntentOnceInFull() {
    String id = newSession("p-11");
    fake.pay(id);
    String intent = fake.paymentIntentOf(id);

    Answer partial =
        post(
            "/v1/refunds",
            Map.of(
                "payment_intent",
                intent,
                "amount",
                300,
                "reason",
                "requested_by_customer",
                "metadata",
                Map.of("why", "test")),
            "r-1");
    Answer rest = post("/v1/refunds", Map.of("payment_intent", intent), "r-2");
    Answer more = post("/v1/refunds", Map.of("payment_intent", intent, "amount", 1), "r-3");

    assertThat(partial.status()).isEqualTo(200);
    assertThat(partial.json().get("id").asText()).startsWith("re_");
    assertThat(partial.json().get("object").asText()).isEqualTo("refund");
    assertThat(partial.json().get("amount").asLong()).isEqualTo(300);
    assertThat(partial.json().get("currency").asText()).isEqualTo("eur");
    assertThat(partial.json().get("payment_intent").asText()).isEqualTo(intent);
    assertThat(partial.json().get("status").asText()).isEqualTo("succeeded");
    assertThat(partial.json().get("reason").asText()).isEqualTo("requested_by_customer");
    assertThat(partial.json().at("/metadata/why").asText()).isEqualTo("test");
    assertThat(rest.json().get("amount").asLong()).isEqualTo(450);
    assertThat(more.status()).isEqualTo(400);
    assertThat(more.json().at("/error/param").asText()).isEqualTo("amount");
    assertThat(fake.refunds()).hasSize(2);
    WebhookDelivery created = fake.events().get(1);
    assertThat(created.type()).isEqualTo("refund.created");
    JsonNode event = parse(created.payload());
    assertThat(event.at("/request/idempotency_key").asText()).isEqualTo("r-1");
    assertThat(event.at("/request/id").asText())
        .isEqualTo(partial.raw().headers().firstValue("Request-Id").orElseThrow());
    assertThat(get("/v1/balance").json().at("/available/0/amount").asLong()).isZero();
  }

  @Test
  void refusesRefundsItCannot() {
    assertThat(
            post("/v1/refunds", Map.of("charge", "ch_1"), null).json().at("/error/param").asText())
        .isEqualTo("charge");
    Answer unknown = post("/v1/refunds", Map.of("payment_intent", "pi_nope"), null);
    assertThat(unknown.json().at("/error/code").asText()).isEqualTo("resource_missing");
    String id = newSession("p-12");
    fake.payLater(id);
    assertThat(
            post("/v1/refunds", Map.of("payment_intent", fake.paymentIntentOf(id)), null)
                .json()
                .at("/error/message")
                .asText())
        .contains("has not succeeded");
    assertThatThrownBy(() -> fake.refundFromDashboard(fake.paymentIntentOf(id), 1))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> fake.refundFromDashboard("pi_nope", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDashboardRefundIsAnnouncedWithoutARequest() {
    String id = newSession("p-13");
    fake.pay(id);

    WebhookDelivery refund = fake.refundFromDashboard(fake.paymentIntentOf(id), 100);

    JsonNode event = parse(refund.payload());
    assertThat(refund.type()).isEqualTo("refund.created");
    assertThat(event.at("/data/object/amount").asLong()).isEqualTo(100);
    assertThat(event.at("/data/object/charge").asText()).startsWith("ch_");
    assertThat(event.at("/request/id").isNull()).isTrue();
    assertThat(event.at("/request/idempotency_key").isNull()).isTrue();
    assertThatThrownBy(() -> fake.refundFromDashboard(fake.paymentIntentOf(id), 651))
        .hasMessageContaining("650");
  }

  @Test
  void listsRefundsNewestFirstByPaymentIntentAndPage() {
    String id = newSession("p-13b");
    fake.pay(id);
    String intent = fake.paymentIntentOf(id);
    String other = newSession("p-13c");
    fake.pay(other);
    fake.refundFromDashboard(fake.paymentIntentOf(other), 5);
    for (int amount = 1; amount <= 3; amount++) {
      fake.refundFromDashboard(intent, amount);
    }

    Answer first = get("/v1/refunds?payment_intent=" + intent + "&limit=2");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().get("object").asText()).isEqualTo("list");
    assertThat(first.json().get("has_more").asBoolean()).isTrue();
    assertThat(first.json().get("data"))
        .extracting(r -> r.get("amount").asLong())
        .containsExactly(3L, 2L);
    String last = first.json().at("/data/1/id").asText();
    Answer second = get("/v1/refunds?payment_intent=" + intent + "&limit=2&starting_after=" + last);
    assertThat(second.json().get("has_more").asBoolean()).isFalse();
    assertThat(second.json().get("data"))
        .extracting(r -> r.get("amount").asLong())
        .containsExactly(1L);
    assertThat(get("/v1/refunds").json().get("data")).hasSize(4);
    assertThat(get("/v1/refunds?limit=0").status()).isEqualTo(400);
    assertThat(get("/v1/refunds?limit=101").status()).isEqualTo(400);
    assertThat(get("/v1/refunds?starting_after=re_nope").json().at("/error/code").asText())
        .isEqualTo("resource_missing");
  }

  @Test
  void chargesASavedCardOffSession() {
    Answer paid =
        post(
            "/v1/payment_intents",
            Map.of(
                "amount",
                900,
                "currency",
                "usd",
                "customer",
                "cus_1",
                "payment_method",
                "pm_1",
                "confirm",
                true,
                "off_session",
                true,
                "metadata",
                Map.of("topup", "t-1")),
            "t-1");

    assertThat(paid.status()).isEqualTo(200);
    assertThat(paid.json().get("id").asText()).startsWith("pi_");
    assertThat(paid.json().get("status").asText()).isEqualTo("succeeded");
    assertThat(paid.json().get("amount_received").asLong()).isEqualTo(900);
    assertThat(paid.json().at("/metadata/topup").asText()).isEqualTo("t-1");
    assertThat(fake.events())
        .extracting(WebhookDelivery::type)
        .containsExactly("payment_intent.succeeded");
    Answer unconfirmed =
        post("/v1/payment_intents", Map.of("amount", 900, "currency", "usd"), "t-2");
    assertThat(unconfirmed.json().get("status").asText()).isEqualTo("requires_payment_method");
    Answer withMethod =
        post(
            "/v1/payment_intents",
            Map.of("amount", 900, "currency", "usd", "payment_method", "pm_1"),
            "t-3");
    assertThat(withMethod.json().get("status").asText()).isEqualTo("requires_confirmation");
  }

  @Test
  void anOffSessionPaymentNeedingAuthenticationIsA402WithThePaymentIntent() {
    fake.requireAuthentication("pm_3ds");
    Map<String, Object> params =
        Map.of(
            "amount",
            900,
            "currency",
            "usd",
            "customer",
            "cus_1",
            "payment_method",
            "pm_3ds",
            "confirm",
            true,
            "off_session",
            true);

    Answer refused = post("/v1/payment_intents", params, "t-4");

    assertThat(refused.status()).isEqualTo(402);
    JsonNode error = refused.json().get("error");
    assertThat(error.get("type").asText()).isEqualTo("card_error");
    assertThat(error.get("code").asText()).isEqualTo("authentication_required");
    assertThat(error.get("decline_code").asText()).isEqualTo("authentication_required");
    assertThat(error.at("/payment_intent/status").asText()).isEqualTo("requires_payment_method");
    assertThat(error.at("/payment_intent/last_payment_error/code").asText())
        .isEqualTo("authentication_required");
    assertThat(error.at("/payment_method/id").asText()).isEqualTo("pm_3ds");
    assertThat(fake.events())
        .extracting(WebhookDelivery::type)
        .containsExactly("payment_intent.payment_failed");
    Answer replay = post("/v1/payment_intents", params, "t-4");
    assertThat(replay.status()).isEqualTo(402);
    assertThat(replay.raw().body()).isEqualTo(refused.raw().body());
    Answer onSession =
        post(
            "/v1/payment_intents",
            Map.of("amount", 900, "currency", "usd", "payment_method", "pm_3ds", "confirm", true),
            "t-5");
    assertThat(onSession.json().get("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void refusesPaymentIntentsItCannotConfirm() {
    assertThat(
            post("/v1/payment_intents", Map.of("amount", 0, "currency", "usd"), null)
                .json()
                .at("/error/param")
                .asText())
        .isEqualTo("amount");
    assertThat(
            post(
                    "/v1/payment_intents",
                    Map.of("amount", 5, "currency", "usd", "confirm", true),
                    null)
                .json()
                .at("/error/param")
                .asText())
        .isEqualTo("payment_method");
    Answer types =
        post(
            "/v1/payment_intents",
            Map.of("amount", 5, "currency", "usd", "payment_method_types", List.of("card")),
            null);
    assertThat(types.json().at("/error/code").asText())
        .isEqualTo("payment_method_types_no_longer_supported");
  }
}
