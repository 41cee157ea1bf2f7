package dev.billingsdk.stripe.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billingsdk.stripe.internal.FormCodec;
import dev.billingsdk.stripe.internal.StripeHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** FakeStripe on the wire, through the JDK's own client: what a host's tests would see. */
class FakeStripeTest extends FakeStripeHarness {
  // ------------------------------------------------------------------ Checkout Sessions

  @Test
  void createsAnOpenUnpaidSessionNamedAsInTheApiReference() {
    Answer created = post("/v1/checkout/sessions", checkout("p-1"), "k-1");

    JsonNode s = created.json();
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.raw().headers().firstValue("Request-Id"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("req_"));
    assertThat(created.raw().headers().firstValue("Stripe-Version"))
        .contains(StripeHttp.API_VERSION);
    assertThat(s.get("id").asText()).startsWith("cs_test_");
    assertThat(s.get("object").asText()).isEqualTo("checkout.session");
    assertThat(s.get("url").asText()).isEqualTo(fake.baseUri() + "/c/pay/" + s.get("id").asText());
    assertThat(s.get("status").asText()).isEqualTo("open");
    assertThat(s.get("payment_status").asText()).isEqualTo("unpaid");
    assertThat(s.get("mode").asText()).isEqualTo("payment");
    assertThat(s.get("client_reference_id").asText()).isEqualTo("p-1");
    assertThat(s.get("metadata")).isEqualTo(parse("{\"purchase_id\":\"p-1\"}"));
    assertThat(s.get("amount_total").asLong()).isEqualTo(750);
    assertThat(s.get("currency").asText()).isEqualTo("eur");
    assertThat(s.get("customer").isNull()).isTrue();
    assertThat(s.get("payment_intent").isNull()).isTrue();
    assertThat(s.get("created").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(s.get("expires_at").asLong()).isEqualTo(NOW.getEpochSecond() + 86400);
    assertThat(s.get("livemode").asBoolean()).isFalse();
    assertThat(parse(fake.session(s.get("id").asText()).orElseThrow())).isEqualTo(s);
    assertThat(get("/v1/checkout/sessions/" + s.get("id").asText()).json()).isEqualTo(s);
    assertThat(fake.events()).isEmpty();
  }

  @Test
  void aPaidSessionIsCompleteWithASucceededPaymentIntentAndASignedEvent() throws Exception {
    String id = newSession("p-2");
    clock.advance(Duration.ofMinutes(3));

    WebhookDelivery completed = fake.pay(id);

    JsonNode event = parse(completed.payload());
    assertThat(completed.type()).isEqualTo("checkout.session.completed");
    assertThat(event.get("id").asText()).isEqualTo(completed.eventId()).startsWith("evt_");
    assertThat(event.get("object").asText()).isEqualTo("event");
    assertThat(event.get("type").asText()).isEqualTo("checkout.session.completed");
    assertThat(event.get("api_version").asText()).isEqualTo(StripeHttp.API_VERSION);
    assertThat(event.get("created").asLong()).isEqualTo(NOW.plusSeconds(180).getEpochSecond());
    assertThat(event.get("livemode").asBoolean()).isFalse();
    assertThat(event.at("/request/id").isNull()).isTrue();
    JsonNode session = event.at("/data/object");
    assertThat(session.get("id").asText()).isEqualTo(id);
    assertThat(session.get("status").asText()).isEqualTo("complete");
    assertThat(session.get("payment_status").asText()).isEqualTo("paid");
    String intent = session.get("payment_intent").asText();
    assertThat(intent).startsWith("pi_").isEqualTo(fake.paymentIntentOf(id));
    long t = completed.timestamp();
    assertThat(t).isEqualTo(NOW.plusSeconds(180).getEpochSecond());
    assertThat(completed.signatureHeader())
        .isEqualTo("t=" + t + ",v1=" + hmac(fake.webhookSecret(), t + "." + completed.payload()));
    assertThat(fake.events()).containsExactly(completed);

    JsonNode expanded = get("/v1/checkout/sessions/" + id + "?expand[]=payment_intent").json();
    assertThat(expanded.at("/payment_intent/id").asText()).isEqualTo(intent);
    assertThat(expanded.at("/payment_intent/status").asText()).isEqualTo("succeeded");
    assertThat(expanded.at("/payment_intent/amount_received").asLong()).isEqualTo(750);
    assertThat(expanded.at("/payment_intent/payment_method").asText()).startsWith("pm_");
    assertThat(get("/v1/balance").json().at("/available/0"))
        .isEqualTo(parse("{\"amount\":750,\"currency\":\"eur\"}"));
    assertThatThrownBy(() -> fake.pay(id)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aDelayedPaymentCompletesUnpaidThenSucceedsOrFails() {
    String ok = newSession("p-3");
    String ko = newSession("p-4");

    WebhookDelivery completed = fake.payLater(ok);
    assertThat(parse(completed.payload()).at("/data/object/payment_status").asText())
        .isEqualTo("unpaid");
    assertThat(parse(completed.payload()).at("/data/object/status").asText()).isEqualTo("complete");
    assertThat(
            parse(fake.paymentIntent(fake.paymentIntentOf(ok)).orElseThrow())
                .get("status")
                .asText())
        .isEqualTo("processing");
    WebhookDelivery succeeded = fake.asyncPaymentSucceeds(ok);
    assertThat(succeeded.type()).isEqualTo("checkout.session.async_payment_succeeded");
    assertThat(parse(succeeded.payload()).at("/data/object/payment_status").asText())
        .isEqualTo("paid");
    assertThatThrownBy(() -> fake.asyncPaymentSucceeds(ok))
        .isInstanceOf(IllegalStateException.class);

    fake.payLater(ko);
    WebhookDelivery failed = fake.asyncPaymentFails(ko);
    assertThat(failed.type()).isEqualTo("checkout.session.async_payment_failed");
    assertThat(parse(failed.payload()).at("/data/object/payment_status").asText())
        .isEqualTo("unpaid");
    assertThatThrownBy(() -> fake.asyncPaymentFails(ko)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> fake.asyncPaymentFails(newSession("p-5")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(fake.events())
        .extracting(WebhookDelivery::type)
        .containsExactly(
            "checkout.session.completed",
            "checkout.session.async_payment_succeeded",
            "checkout.session.completed",
            "checkout.session.async_payment_failed");
  }

  @Test
  void anOpenSessionExpires() {
    String id = newSession("p-6");

    WebhookDelivery expired = fake.expire(id);

    assertThat(expired.type()).isEqualTo("checkout.session.expired");
    assertThat(parse(fake.session(id).orElseThrow()).get("status").asText()).isEqualTo("expired");
    assertThatThrownBy(() -> fake.expire(id)).hasMessageContaining("expired, not open");
    assertThatThrownBy(() -> fake.pay(id)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> fake.paymentIntentOf(id)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> fake.pay("cs_test_unknown"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(fake.session("cs_test_unknown")).isEmpty();
    assertThat(fake.paymentIntent("pi_unknown")).isEmpty();
  }

  @Test
  void aSessionThatSavesTheCardGetsACustomer() {
    Map<String, Object> params = checkout("p-7");
    params.put("payment_intent_data", Map.of("setup_future_usage", "off_session"));
    params.put("expires_at", NOW.getEpochSecond() + 3600);
    String id = post("/v1/checkout/sessions", params, "k-7").json().get("id").asText();
    assertThat(parse(fake.session(id).orElseThrow()).get("expires_at").asLong())
        .isEqualTo(NOW.getEpochSecond() + 3600);

    JsonNode session = parse(fake.pay(id).payload()).at("/data/object");

    assertThat(session.get("customer").asText()).startsWith("cus_");
    JsonNode intent =
        parse(fake.paymentIntent(session.get("payment_intent").asText()).orElseThrow());
    assertThat(intent.get("setup_future_usage").asText()).isEqualTo("off_session");
    assertThat(intent.get("customer").asText()).isEqualTo(session.get("customer").asText());

    Map<String, Object> known = checkout("p-8");
    known.put("customer", "cus_known");
    known.put("payment_intent_data", Map.of("setup_future_usage", "on_session"));
    String other = post("/v1/checkout/sessions", known, "k-8").json().get("id").asText();
    assertThat(parse(fake.pay(other).payload()).at("/data/object/customer").asText())
        .isEqualTo("cus_known");
  }

  @Test
  void aSetupSessionHasNothingToPay() {
    Answer created =
        post(
            "/v1/checkout/sessions",
            Map.of("mode", "setup", "customer", "cus_1", "currency", "usd"),
            "k");

    assertThat(created.status()).isEqualTo(200);
    assertThat(created.json().get("payment_status").asText()).isEqualTo("no_payment_required");
    assertThat(created.json().get("amount_total").isNull()).isTrue();
    assertThatThrownBy(() -> fake.pay(created.json().get("id").asText()))
        .hasMessageContaining("setup session");
  }

  @Test
  void refusesSessionsItCannotModel() {
    Map<String, List<?>> badItems =
        Map.of(
            "price", List.of(Map.of("price", "price_123", "quantity", 1)),
            "mixed currencies", List.of(item("usd", 100, 1, "a"), item("eur", 100, 1, "b")),
            "currency", List.of(item("USD", 100, 1, "a")),
            "quantity", List.of(item("usd", 100, 0, "a")),
            "negative amount", List.of(item("usd", -1, 1, "a")),
            "no product name",
                List.of(
                    Map.of(
                        "quantity", 1, "price_data", Map.of("currency", "usd", "unit_amount", 1))),
            "amount not a number", List.of(item("usd", "ten", 1, "a")));
    badItems.forEach(
        (why, items) -> {
          Answer a =
              post("/v1/checkout/sessions", Map.of("mode", "payment", "line_items", items), null);
          assertThat(a.status()).as(why).isEqualTo(400);
          assertThat(a.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
          assertThat(a.json().at("/error/param").asText()).as(why).startsWith("line_items[");
        });
    assertThat(
            post("/v1/checkout/sessions", Map.of("mode", "payment"), null)
                .json()
                .at("/error/param")
                .asText())
        .isEqualTo("line_items");
    assertThat(
            post("/v1/checkout/sessions", Map.of("mode", "gift"), null)
                .json()
                .at("/error/param")
                .asText())
        .isEqualTo("mode");
    assertThat(
            post("/v1/checkout/sessions", Map.of("line_items", "x", "mode", "payment"), null)
                .status())
        .isEqualTo(400);
    assertThat(
            post("/v1/checkout/sessions", Map.of("mode", Map.of("a", "b")), null)
                .json()
                .at("/error/code")
                .asText())
        .isEqualTo("parameter_missing");
    Map<String, Object> longReference = checkout("r".repeat(201));
    assertThat(
            post("/v1/checkout/sessions", longReference, null).json().at("/error/param").asText())
        .isEqualTo("client_reference_id");
    Map<String, Object> nestedMetadata = checkout("p");
    nestedMetadata.put("metadata", Map.of("a", Map.of("b", "c")));
    assertThat(
            post("/v1/checkout/sessions", nestedMetadata, null).json().at("/error/param").asText())
        .isEqualTo("metadata");
    Map<String, Object> badUsage = checkout("p");
    badUsage.put("payment_intent_data", Map.of("setup_future_usage", "sometimes"));
    assertThat(post("/v1/checkout/sessions", badUsage, null).status()).isEqualTo(400);
    Map<String, Object> structuredUrl = checkout("p");
    structuredUrl.put("success_url", Map.of("a", "b"));
    assertThat(
            post("/v1/checkout/sessions", structuredUrl, null).json().at("/error/param").asText())
        .isEqualTo("success_url");
    Map<String, Object> removedByEndive = checkout("p");
    removedByEndive.put("payment_method_types", List.of("card"));
    assertThat(
            post("/v1/checkout/sessions", removedByEndive, null).json().at("/error/code").asText())
        .isEqualTo("payment_method_types_no_longer_supported");
    assertThat(post("/v1/checkout/sessions", "mode=%zz", "k-bad").status()).isEqualTo(400);
    assertThat(post("/v1/checkout/sessions", "a=1&a=2", null).status()).isEqualTo(400);
  }

  @Test
  void theHostedPagePaysTheSession() {
    String id = newSession("p-9");
    HttpRequest visit = HttpRequest.newBuilder(URI.create(fake.baseUri() + "/c/pay/" + id)).build();

    Answer page = send(visit);

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.raw().body())
        .contains("Paid")
        .contains("https://shop.example/done?x=&lt;1&gt;");
    assertThat(parse(fake.session(id).orElseThrow()).get("payment_status").asText())
        .isEqualTo("paid");
    assertThat(send(visit).status()).isEqualTo(404);
    Answer setup =
        post(
            "/v1/checkout/sessions",
            Map.of("mode", "subscription", "line_items", List.of(item("usd", 5, 1, "s"))),
            null);
    Map<String, Object> noSuccessUrl = checkout("p-10");
    noSuccessUrl.remove("success_url");
    String bare = post("/v1/checkout/sessions", noSuccessUrl, null).json().get("id").asText();
    assertThat(
            send(HttpRequest.newBuilder(URI.create(fake.baseUri() + "/c/pay/" + bare)).build())
                .raw()
                .body())
        .doesNotContain("Continue");
    assertThat(setup.json().get("mode").asText()).isEqualTo("subscription");
  }

  // ------------------------------------------------------------------ idempotency

  @Test
  void replaysTheStoredAnswerForTheSameKeyAndParameters() {
    Answer first = post("/v1/checkout/sessions", checkout("p-14"), "same");
    Answer again = post("/v1/checkout/sessions", checkout("p-14"), "same");

    assertThat(again.raw().body()).isEqualTo(first.raw().body());
    assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(again.raw().headers().firstValue("Original-Request"))
        .isEqualTo(first.raw().headers().firstValue("Request-Id"));
    List<String> pairs =
        new java.util.ArrayList<>(List.of(FormCodec.encode(checkout("p-14")).split("&")));
    java.util.Collections.reverse(pairs);
    String reorderedForm = String.join("&", pairs);
    assertThat(post("/v1/checkout/sessions", reorderedForm, "same").raw().body())
        .isEqualTo(first.raw().body());
  }

  @Test
  void theSameKeyWithOtherParametersOrAnotherEndpointIsAnIdempotencyError() {
    post("/v1/checkout/sessions", checkout("p-15"), "reused");

    Answer other = post("/v1/checkout/sessions", checkout("p-16"), "reused");
    Answer elsewhere =
        post("/v1/payment_intents", Map.of("amount", 5, "currency", "usd"), "reused");

    for (Answer a : List.of(other, elsewhere)) {
      assertThat(a.status()).isEqualTo(400);
      assertThat(a.json().at("/error/type").asText()).isEqualTo("idempotency_error");
      assertThat(a.json().at("/error/message").asText()).contains("'reused'");
    }
  }

  @Test
  void aRequestThatFailedValidationIsNotStored() {
    assertThat(post("/v1/checkout/sessions", Map.of("mode", "payment"), "fix-me").status())
        .isEqualTo(400);

    assertThat(post("/v1/checkout/sessions", checkout("p-17"), "fix-me").status()).isEqualTo(200);
  }

  @Test
  void aKeyStillRunningIsInUse() throws Exception {
    fake.inject(Fault.delay(Duration.ofSeconds(10)));
    HttpRequest first =
        authorized("/v1/checkout/sessions")
            .header("Idempotency-Key", "slow")
            .POST(HttpRequest.BodyPublishers.ofString(FormCodec.encode(checkout("p-18"))))
            .build();
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(first, HttpResponse.BodyHandlers.ofString());
    while (fake.requests().isEmpty()) {
      Thread.sleep(5);
    }
    Thread.sleep(50);

    Answer second = post("/v1/checkout/sessions", checkout("p-18"), "slow");

    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().at("/error/code").asText()).isEqualTo("idempotency_key_in_use");
    fake.close();
    pending.handle((response, failure) -> null).get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  // ------------------------------------------------------------------ authentication, routing

  @Test
  void refusesMissingOrWrongKeysLikeStripe() {
    HttpRequest none = HttpRequest.newBuilder(fake.baseUri().resolve("/v1/balance")).build();
    Answer missing = send(none);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(missing.json().at("/error/message").asText()).contains("did not provide an API key");

    Answer wrong =
        send(
            HttpRequest.newBuilder(fake.baseUri().resolve("/v1/balance"))
                .header("Authorization", "Bearer sk_test_Wrong1234")
                .build());
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().at("/error/message").asText())
        .isEqualTo("Invalid API Key provided: sk_test_****1234");
    Answer shortKey =
        send(
            HttpRequest.newBuilder(fake.baseUri().resolve("/v1/balance"))
                .header("Authorization", "sk")
                .build());
    assertThat(shortKey.json().at("/error/message").asText())
        .isEqualTo("Invalid API Key provided: ****");
    Answer badBasic =
        send(
            HttpRequest.newBuilder(fake.baseUri().resolve("/v1/balance"))
                .header("Authorization", "Basic !!!")
                .build());
    assertThat(badBasic.status()).isEqualTo(401);
    assertThat(fake.requests()).hasSize(4);
  }

  @Test
  void acceptsBasicAuthAsCurlSendsIt() {
    String basic =
        Base64.getEncoder()
            .encodeToString((fake.secretKey() + ":").getBytes(StandardCharsets.UTF_8));
    String basicWithoutColon =
        Base64.getEncoder().encodeToString(fake.secretKey().getBytes(StandardCharsets.UTF_8));
    for (String credentials : List.of(basic, basicWithoutColon)) {
      Answer a =
          send(
              HttpRequest.newBuilder(fake.baseUri().resolve("/v1/balance"))
                  .header("Authorization", "Basic " + credentials)
                  .header("Stripe-Version", fake.apiVersion())
                  .build());
      assertThat(a.status()).isEqualTo(200);
    }
  }

  @Test
  void insistsOnThePinnedVersion() {
    Answer missing =
        send(
            HttpRequest.newBuilder(fake.baseUri().resolve("/v1/balance"))
                .header("Authorization", "Bearer " + fake.secretKey())
                .build());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().at("/error/message").asText()).contains("expects a Stripe-Version");
    Answer old =
        send(
            HttpRequest.newBuilder(fake.baseUri().resolve("/v1/balance"))
                .header("Authorization", "Bearer " + fake.secretKey())
                .header("Stripe-Version", "2020-08-27")
                .build());
    assertThat(old.json().at("/error/message").asText())
        .startsWith("Invalid Stripe API version: 2020-08-27");
  }

  @Test
  void unknownUrlsAndObjectsAre404() {
    Answer unknown = get("/v1/customers");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().at("/error/message").asText())
        .isEqualTo("Unrecognized request URL (GET: /v1/customers).");
    Answer missing = get("/v1/checkout/sessions/cs_test_nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().at("/error/code").asText()).isEqualTo("resource_missing");
    assertThat(send(authorized("/v1/balance").DELETE().build()).status()).isEqualTo(404);
    assertThat(get("/v1/balance?x=%e9").status()).isEqualTo(400);
  }

  @Test
  void logsWhatArrived() {
    post("/v1/checkout/sessions", checkout("p-19"), "log-1");
    get("/v1/balance?expand[]=x");

    List<ReceivedRequest> log = fake.requests();
    assertThat(log).hasSize(2);
    ReceivedRequest post = log.get(0);
    assertThat(post.method()).isEqualTo("POST");
    assertThat(post.path()).isEqualTo("/v1/checkout/sessions");
    assertThat(post.header("idempotency-key")).contains("log-1");
    assertThat(post.header("X-Nothing")).isEmpty();
    assertThat(post.param("line_items[0][price_data][currency]")).contains("eur");
    assertThat(post.param("nothing")).isEmpty();
    assertThat(post.body()).contains("client_reference_id=p-19");
    assertThat(log.get(1).params()).containsExactly(Map.entry("expand[]", "x"));
    assertThat(log.get(1).body()).isEmpty();
    fake.clearRequests();
    assertThat(fake.requests()).isEmpty();
  }

  // ------------------------------------------------------------------ faults

  @Test
  void injectedFaultsAnswerTheNextRequestsInOrder() {
    fake.inject(
        Fault.status(500, "{}").withHeader("Stripe-Should-Retry", "true"), Fault.dropConnection());
    fake.failNext(429, "{\"error\":{\"type\":\"invalid_request_error\"}}");

    // POSTs: the JDK client retries a GET on its own when a reused connection drops.
    String form = "amount=5&currency=usd";
    Answer first = post("/v1/payment_intents", form, null);
    assertThat(first.status()).isEqualTo(500);
    assertThat(first.raw().headers().firstValue("Stripe-Should-Retry")).contains("true");
    assertThatThrownBy(() -> post("/v1/payment_intents", form, null))
        .hasCauseInstanceOf(IOException.class);
    assertThat(post("/v1/payment_intents", form, null).status()).isEqualTo(429);
    assertThat(post("/v1/payment_intents", form, null).status()).isEqualTo(200);
    assertThat(fake.requests()).hasSize(4);
  }

  @Test
  void faultsAreValidated() {
    assertThatThrownBy(() -> Fault.status(199, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.status(600, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.delay(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Fault.delay(Duration.ZERO)).isEqualTo(new Fault.Delay(Duration.ZERO));
    assertThat(Fault.dropConnection()).isEqualTo(new Fault.Drop());
  }

  // ------------------------------------------------------------------ signing

  @Test
  void signsAnyEventAsStripeDoes() throws Exception {
    Clock fixed = Clock.fixed(NOW, ZoneOffset.UTC);
    WebhookDelivery d =
        FakeStripe.signedEvent(
            "charge.refunded", "{\"id\":\"ch_1\",\"object\":\"charge\"}", "whsec_abc", fixed);

    JsonNode event = parse(d.payload());
    assertThat(d.eventId()).startsWith("evt_");
    assertThat(event.get("type").asText()).isEqualTo("charge.refunded");
    assertThat(event.get("created").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(event.at("/data/object/id").asText()).isEqualTo("ch_1");
    assertThat(event.get("api_version").asText()).isEqualTo(StripeHttp.API_VERSION);
    assertThat(d.timestamp()).isEqualTo(NOW.getEpochSecond());
    assertThat(d.signatureHeader())
        .isEqualTo(
            "t="
                + NOW.getEpochSecond()
                + ",v1="
                + hmac("whsec_abc", NOW.getEpochSecond() + "." + d.payload()));
    assertThat(FakeStripe.signatureHeader("{}", "whsec_abc", 1))
        .isEqualTo("t=1,v1=" + hmac("whsec_abc", "1.{}"));

    WebhookDelivery mine = fake.signedEvent("customer.created", "{\"id\":\"cus_1\"}");
    assertThat(mine.signatureHeader())
        .endsWith(hmac(fake.webhookSecret(), mine.timestamp() + "." + mine.payload()));
    assertThat(fake.events()).isEmpty();
    assertThatThrownBy(() -> fake.signedEvent("x", "[1]"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fake.signedEvent("x", "{"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aConfiguredFakeUsesItsOwnKeysAndVersion() {
    try (FakeStripe custom =
        FakeStripe.builder()
            .secretKey("sk_test_other")
            .webhookSecret("whsec_other")
            .apiVersion("2026-10-28.endive")
            .start()) {
      assertThat(custom.secretKey()).isEqualTo("sk_test_other");
      assertThat(custom.webhookSecret()).isEqualTo("whsec_other");
      assertThat(parse(custom.signedEvent("x.y", "{}").payload()).get("api_version").asText())
          .isEqualTo("2026-10-28.endive");
      assertThat(custom.baseUri().getHost()).isEqualTo("127.0.0.1");
    }
    try (FakeStripe defaults = FakeStripe.start()) {
      assertThat(defaults.secretKey()).isEqualTo(FakeStripe.DEFAULT_SECRET_KEY);
      assertThat(defaults.webhookSecret()).isEqualTo(FakeStripe.DEFAULT_WEBHOOK_SECRET);
      assertThat(defaults.apiVersion()).isEqualTo(StripeHttp.API_VERSION);
    }
  }

  @Test
  void theSameSeedGivesTheSameIds() {
    try (FakeStripe again = FakeStripe.builder().clock(clock).seed(7).start()) {
      String mine = newSession("p-20");
      Answer theirs =
          send(
              HttpRequest.newBuilder(again.baseUri().resolve("/v1/checkout/sessions"))
                  .header("Authorization", "Bearer " + again.secretKey())
                  .header("Stripe-Version", again.apiVersion())
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(FormCodec.encode(checkout("p-20"))))
                  .build());
      assertThat(theirs.json().get("id").asText()).isEqualTo(mine);
    }
  }
}
