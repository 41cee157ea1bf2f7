package dev.billingsdk.flutterwave.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.flutterwave.FlutterwaveSecretHash;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.payment.WebhookRejectedException.Reason;
import dev.billingsdk.testkit.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlutterwaveWebhookVerifierTest {
  static final String HASH = "my-dashboard-hash-7Hq2";
  static final String OLD_HASH = "the-old-hash-Zk91";
  static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  static final String BODY =
      "{\"event\":\"charge.completed\",\"data\":{\"id\":4975363,\"tx_ref\":\"p-123\","
          + "\"flw_ref\":\"FLW-MOCK-1\",\"amount\":45,\"currency\":\"NGN\",\"charged_amount\":45,"
          + "\"status\":\"successful\",\"payment_type\":\"card\","
          + "\"created_at\":\"2026-12-03T09:00:00.000Z\",\"customer\":{\"id\":2374551,"
          + "\"name\":\"Ada\",\"phone_number\":null,\"email\":\"ada@example.com\"}},"
          + "\"event.type\":\"CARD_TRANSACTION\"}";

  final TestClock clock = new TestClock(NOW);
  final FlutterwaveWebhookVerifier verifier =
      FlutterwaveWebhookVerifier.of(FlutterwaveSecretHash.of(HASH), null, clock);
  final FlutterwaveWebhookVerifier rolling =
      FlutterwaveWebhookVerifier.of(
          FlutterwaveSecretHash.of(HASH), FlutterwaveSecretHash.of(OLD_HASH), clock);

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String sign(String secret, String body) {
    return Base64.getEncoder()
        .encodeToString(FlutterwaveWebhookVerifier.hmac(bytes(secret), bytes(body)));
  }

  static Map<String, List<String>> headers(String name, String value) {
    return Map.of(name, List.of(value));
  }

  static WebhookRejectedException rejected(Runnable call) {
    WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class, call::run);
    assertThat(e).as("a WebhookRejectedException").isNotNull();
    assertThat(e.provider()).isEqualTo("flutterwave");
    assertThat(e.getMessage()).doesNotContain(HASH).doesNotContain(OLD_HASH);
    return e;
  }

  // ------------------------------------------------------------------ verif-hash

  @Test
  void acceptsTheRightVerifHashAndReadsTheEvent() {
    ProviderEvent event = verifier.verify(bytes(BODY), headers("verif-hash", HASH));

    assertThat(event.provider()).isEqualTo("flutterwave");
    assertThat(event.eventId()).isEqualTo("4975363:charge.completed:successful");
    assertThat(event.type()).isEqualTo("charge.completed");
    assertThat(event.kind()).isEqualTo(ProviderEvent.Kind.CHECKOUT_COMPLETED);
    assertThat(event.createdAt()).isEqualTo(Instant.parse("2026-12-03T09:00:00Z"));
    assertThat(event.purchaseRef()).contains("p-123");
    assertThat(event.checkoutRef()).contains("p-123");
    assertThat(event.paymentRef()).contains("4975363");
    assertThat(event.payload()).isEqualTo(BODY);
  }

  @Test
  void refusesAWrongVerifHash() {
    WebhookRejectedException e =
        rejected(() -> verifier.verify(bytes(BODY), headers("verif-hash", HASH + "x")));
    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    // The previous hash is no good either unless it is configured.
    assertThat(
            rejected(() -> verifier.verify(bytes(BODY), headers("verif-hash", OLD_HASH))).reason())
        .isEqualTo(Reason.SIGNATURE_MISMATCH);
  }

  @Test
  void refusesADeliveryWithNeitherHeader() {
    WebhookRejectedException e =
        rejected(() -> verifier.verify(bytes(BODY), Map.of("Content-Type", List.of("json"))));
    assertThat(e.reason()).isEqualTo(Reason.MISSING_SIGNATURE);
    assertThat(rejected(() -> verifier.verify(bytes(BODY), Map.of())).reason())
        .isEqualTo(Reason.MISSING_SIGNATURE);
  }

  @Test
  void findsHeadersInAnyCase() {
    assertThat(verifier.verify(bytes(BODY), headers("VERIF-HASH", HASH)).eventId())
        .isEqualTo("4975363:charge.completed:successful");
    assertThat(verifier.verify(bytes(BODY), headers("Verif-Hash", HASH)).paymentRef())
        .contains("4975363");
    assertThat(
            verifier.verify(bytes(BODY), headers("Flutterwave-Signature", sign(HASH, BODY))).kind())
        .isEqualTo(ProviderEvent.Kind.CHECKOUT_COMPLETED);
  }

  @Test
  void acceptsThePreviousHashWhileRolling() {
    assertThat(rolling.verify(bytes(BODY), headers("verif-hash", OLD_HASH)).eventId())
        .isEqualTo("4975363:charge.completed:successful");
    assertThat(rolling.verify(bytes(BODY), headers("verif-hash", HASH)).eventId())
        .isEqualTo("4975363:charge.completed:successful");
    assertThat(
            rolling
                .verify(bytes(BODY), headers("flutterwave-signature", sign(OLD_HASH, BODY)))
                .type())
        .isEqualTo("charge.completed");
    assertThat(rejected(() -> rolling.verify(bytes(BODY), headers("verif-hash", "third"))).reason())
        .isEqualTo(Reason.SIGNATURE_MISMATCH);
  }

  // ------------------------------------------------------------------ flutterwave-signature

  @Test
  void acceptsAValidHmac() {
    ProviderEvent event =
        verifier.verify(bytes(BODY), headers("flutterwave-signature", sign(HASH, BODY)));
    assertThat(event.eventId()).isEqualTo("4975363:charge.completed:successful");
  }

  @Test
  void refusesATamperedBody() {
    String signature = sign(HASH, BODY);
    String tampered = BODY.replace("\"amount\":45", "\"amount\":4500");
    WebhookRejectedException e =
        rejected(
            () -> verifier.verify(bytes(tampered), headers("flutterwave-signature", signature)));
    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    assertThat(e.getMessage()).doesNotContain(signature).doesNotContain("4500");
  }

  @Test
  void refusesAnHmacUnderAnotherSecret() {
    assertThat(
            rejected(
                    () ->
                        verifier.verify(
                            bytes(BODY), headers("flutterwave-signature", sign("other", BODY))))
                .reason())
        .isEqualTo(Reason.SIGNATURE_MISMATCH);
  }

  @Test
  void aBadSignatureIsRefusedEvenWithTheRightVerifHash() {
    Map<String, List<String>> both = new HashMap<>();
    both.put("verif-hash", List.of(HASH));
    both.put("flutterwave-signature", List.of(sign("other", BODY)));

    assertThat(rejected(() -> verifier.verify(bytes(BODY), both)).reason())
        .isEqualTo(Reason.SIGNATURE_MISMATCH);

    // And with a good signature, a wrong verif-hash does not matter: the HMAC decides.
    both.put("verif-hash", List.of("wrong"));
    both.put("flutterwave-signature", List.of(sign(HASH, BODY)));
    assertThat(verifier.verify(bytes(BODY), both).eventId())
        .isEqualTo("4975363:charge.completed:successful");
  }

  @Test
  void refusesASignatureThatIsNotBase64() {
    assertThat(
            rejected(() -> verifier.verify(bytes(BODY), headers("flutterwave-signature", "%%%")))
                .reason())
        .isEqualTo(Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void refusesAHeaderSentTwice() {
    Map<String, List<String>> twice = Map.of("verif-hash", List.of(HASH, HASH));
    assertThat(rejected(() -> verifier.verify(bytes(BODY), twice)).reason())
        .isEqualTo(Reason.MALFORMED_SIGNATURE);
    Map<String, List<String>> twoNames = new HashMap<>();
    twoNames.put("verif-hash", List.of(HASH));
    twoNames.put("Verif-Hash", List.of(HASH));
    assertThat(rejected(() -> verifier.verify(bytes(BODY), twoNames)).reason())
        .isEqualTo(Reason.MALFORMED_SIGNATURE);
  }

  // ------------------------------------------------------------------ the body

  WebhookRejectedException malformed(String body) {
    WebhookRejectedException e =
        rejected(() -> verifier.verify(bytes(body), headers("verif-hash", HASH)));
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
    return e;
  }

  @Test
  void refusesBodiesThatAreNotAnEvent() {
    malformed("not json");
    malformed("[1,2]");
    malformed("{\"data\":{\"id\":1,\"tx_ref\":\"p-1\"}}");
    malformed("{\"event\":\"charge.completed\"}");
    malformed("{\"event\":\"charge.completed\",\"data\":[]}");
    malformed("{\"event\":\"charge.completed\",\"data\":{\"tx_ref\":\"p-1\"}}");
    malformed("{\"event\":\"charge.completed\",\"data\":{\"id\":\"4975363\",\"tx_ref\":\"p-1\"}}");
    malformed("{\"event\":\"charge.completed\",\"data\":{\"id\":1.5,\"tx_ref\":\"p-1\"}}");
    malformed("{\"event\":\"charge.completed\",\"data\":{\"id\":1}}");
    malformed("{\"event\":\"charge.completed\",\"data\":{\"id\":1,\"tx_ref\":7}}");
    malformed("{\"event\":\"charge.completed\",\"data\":{\"id\":1,\"tx_ref\":\" p \"}}");
    assertThat(
            rejected(
                    () ->
                        verifier.verify(
                            new byte[] {'{', (byte) 0xff, '}'}, headers("verif-hash", HASH)))
                .getMessage())
        .contains("not UTF-8");
  }

  @Test
  void theEventIdFollowsTheTransactionsStatus() {
    String pending = BODY.replace("\"successful\"", "\"pending\"");
    ProviderEvent first = verifier.verify(bytes(pending), headers("verif-hash", HASH));
    ProviderEvent again = verifier.verify(bytes(pending), headers("verif-hash", HASH));
    ProviderEvent later = verifier.verify(bytes(BODY), headers("verif-hash", HASH));

    assertThat(first.eventId()).isEqualTo("4975363:charge.completed:pending");
    assertThat(again.eventId()).isEqualTo(first.eventId());
    assertThat(later.eventId()).isNotEqualTo(first.eventId());
    // charge.completed completes the checkout whatever its status; the library verifies.
    assertThat(first.kind()).isEqualTo(ProviderEvent.Kind.CHECKOUT_COMPLETED);
  }

  @Test
  void otherEventsAreOtherAndAMissingTimeIsTheClocks() {
    String body =
        "{\"event\":\"transfer.completed\",\"data\":{\"id\":77,\"tx_ref\":\"t-9\","
            + "\"status\":\"SUCCESSFUL\"}}";
    ProviderEvent event = verifier.verify(bytes(body), headers("verif-hash", HASH));

    assertThat(event.kind()).isEqualTo(ProviderEvent.Kind.OTHER);
    assertThat(event.eventId()).isEqualTo("77:transfer.completed:SUCCESSFUL");
    assertThat(event.createdAt()).isEqualTo(NOW);
    assertThat(event.paymentRef()).isEqualTo(Optional.of("77"));
  }

  @Test
  void showsNoSecretInToString() {
    assertThat(rolling.toString()).doesNotContain(HASH).doesNotContain(OLD_HASH).contains("2");
  }

  @Test
  void oddHeaderMaps() {
    Map<String, List<String>> withNullName = new HashMap<>();
    withNullName.put(null, List.of("HTTP/1.1 200 OK"));
    withNullName.put("verif-hash", List.of(HASH));
    assertThat(verifier.verify(bytes(BODY), withNullName).type()).isEqualTo("charge.completed");

    Map<String, List<String>> emptyValues = new HashMap<>();
    emptyValues.put("flutterwave-signature", List.of());
    emptyValues.put("verif-hash", List.of(HASH));
    assertThat(verifier.verify(bytes(BODY), emptyValues).type()).isEqualTo("charge.completed");

    Map<String, List<String>> nullValue = new HashMap<>();
    java.util.ArrayList<String> values = new java.util.ArrayList<>();
    values.add(null);
    nullValue.put("verif-hash", values);
    assertThat(rejected(() -> verifier.verify(bytes(BODY), nullValue)).reason())
        .isEqualTo(Reason.MISSING_SIGNATURE);

    assertThat(
            rejected(() -> verifier.verify(bytes(BODY), headers("verif-hash", "h".repeat(2000))))
                .reason())
        .isEqualTo(Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void moreBodiesThatAreNotAnEvent() {
    malformed("");
    malformed("{\"event\":\" \",\"data\":{\"id\":1,\"tx_ref\":\"p-1\"}}");
    malformed("{\"event\":\"charge.completed\",\"data\":{\"id\":-1,\"tx_ref\":\"p-1\"}}");
    malformed(
        "{\"event\":\"charge.completed\",\"data\":{\"id\":99999999999999999999,\"tx_ref\":\"p-1\"}}");
    byte[] huge = new byte[ProviderEvent.MAX_PAYLOAD + 1];
    assertThat(rejected(() -> verifier.verify(huge, headers("verif-hash", HASH))).reason())
        .isEqualTo(Reason.MALFORMED_PAYLOAD);
  }

  @Test
  void aMissingStatusAndAnUnreadableTimeAreTolerated() {
    String body =
        "{\"event\":\"charge.completed\",\"data\":{\"id\":5,\"tx_ref\":\"p-5\","
            + "\"status\":null,\"created_at\":\"yesterday\"}}";
    ProviderEvent event = verifier.verify(bytes(body), headers("verif-hash", HASH));

    assertThat(event.eventId()).isEqualTo("5:charge.completed:");
    assertThat(event.createdAt()).isEqualTo(NOW);
  }

  @Test
  void anEventThatIsNotTextAndATimeThatIsNotTextAreHandled() {
    malformed("{\"event\":5,\"data\":{\"id\":1,\"tx_ref\":\"p-1\"}}");
    String body =
        "{\"event\":\"charge.completed\",\"data\":{\"id\":5,\"tx_ref\":\"p-5\","
            + "\"status\":\"successful\",\"created_at\":1764752400}}";
    assertThat(verifier.verify(bytes(body), headers("verif-hash", HASH)).createdAt())
        .isEqualTo(NOW);
  }
}
