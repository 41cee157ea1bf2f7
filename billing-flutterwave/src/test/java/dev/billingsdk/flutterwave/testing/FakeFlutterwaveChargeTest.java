package dev.billingsdk.flutterwave.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FakeFlutterwave's money after the payment on the wire: tokenized (off-session) charges with a
 * saved card, refunds, and the balances they leave.
 */
class FakeFlutterwaveChargeTest extends FakeFlutterwaveHarness {
  // ------------------------------------------------------------------ tokenized charges

  @Test
  void tokenizedChargeSucceedsAndIsFoundByReference() {
    createLink("p-1");
    String token = fake.pay("p-1").token();
    Answer answer = charge(token, "p-2", "1500.50");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("message").asText()).isEqualTo("Charge successful");
    assertThat(answer.data().get("status").asText()).isEqualTo("successful");
    assertThat(answer.data().get("tx_ref").asText()).isEqualTo("p-2");
    assertThat(answer.data().get("amount").decimalValue()).isEqualTo(new BigDecimal("1500.50"));
    assertThat(answer.data().get("card").get("token").asText()).isEqualTo(token);
    assertThat(answer.data().get("narration").asText()).isEqualTo("Auto top-up");
    long id = answer.data().get("id").asLong();
    assertThat(get("/v3/transactions/verify_by_reference?tx_ref=p-2").data().get("id").asLong())
        .isEqualTo(id);
    assertThat(fake.transaction(id).token()).isEqualTo(token);
  }

  @Test
  void declinedChargeFailsOnceThenSucceeds() {
    createLink("p-1");
    String token = fake.pay("p-1").token();
    fake.declineNext(token, "Insufficient Funds");
    Answer declined = charge(token, "p-2", "45");
    assertThat(declined.status()).isEqualTo(200);
    assertThat(declined.data().get("status").asText()).isEqualTo("failed");
    assertThat(declined.data().get("processor_response").asText()).isEqualTo("Insufficient Funds");
    assertThat(charge(token, "p-3", "45").data().get("status").asText()).isEqualTo("successful");
  }

  @Test
  void chargeNeedingAuthenticationIsPendingUntilSettled() {
    createLink("p-1");
    String token = fake.pay("p-1").token();
    fake.requireAuthenticationNext(token);
    Answer pending = charge(token, "p-2", "45");
    assertThat(pending.data().get("status").asText()).isEqualTo("pending");
    JsonNode authorization = pending.data().get("meta").get("authorization");
    assertThat(authorization.get("mode").asText()).isEqualTo("redirect");
    String redirect = authorization.get("redirect").asText();
    assertThat(redirect).startsWith(fake.baseUri().toString());
    long id = pending.data().get("id").asLong();

    Answer page = send(HttpRequest.newBuilder(URI.create(redirect)).GET().build());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("Authenticate");
    Answer done =
        send(HttpRequest.newBuilder(URI.create(redirect + "?outcome=successful")).GET().build());
    assertThat(done.body()).contains("Authenticated");
    assertThat(fake.transaction(id).status()).isEqualTo("successful");
    assertThat(send(HttpRequest.newBuilder(URI.create(redirect)).GET().build()).status())
        .isEqualTo(404);
  }

  @Test
  void settleOfPendingChargeKeepsItsToken() {
    createLink("p-1");
    String token = fake.pay("p-1").token();
    fake.requireAuthenticationNext(token);
    long id = charge(token, "p-2", "45").data().get("id").asLong();
    assertThat(fake.settle(id).token()).isEqualTo(token);
  }

  @Test
  void unknownTokenIs400() {
    assertError(charge("flw-t1nf-unknown", "p-2", "45"), 400, "Token not found");
    assertThat(fake.transactions("p-2")).isEmpty();
  }

  @Test
  void failedCardIssuesNoChargeableToken() {
    createLink("p-1");
    fake.failAttempt("p-1");
    String failedCard =
        get("/v3/transactions/verify_by_reference?tx_ref=p-1").data().get("card").toString();
    assertThat(failedCard).doesNotContain("token");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"email\":\"a@b.c\",\"currency\":\"NGN\",\"amount\":1,\"tx_ref\":\"r\"}|token is required",
        "{\"token\":\"t\",\"currency\":\"NGN\",\"amount\":1,\"tx_ref\":\"r\"}|email is required",
        "{\"token\":\"t\",\"email\":\"a@b.c\",\"amount\":1,\"tx_ref\":\"r\"}|currency is required",
        "{\"token\":\"t\",\"email\":\"a@b.c\",\"currency\":\"NGN\",\"tx_ref\":\"r\"}|amount is required",
        "{\"token\":\"t\",\"email\":\"a@b.c\",\"currency\":\"NGN\",\"amount\":1}|tx_ref is required",
        "{\"token\":\"t\",\"email\":\"a@b.c\",\"currency\":\"NGN\",\"amount\":null,\"tx_ref\":\"r\"}|amount is required",
        "{\"token\":\"t\",\"email\":\"a@b.c\",\"currency\":\"NGN\",\"amount\":-3,\"tx_ref\":\"r\"}|amount must be greater than 0",
        "{\"token\":\"t\",\"email\":\"a@b.c\",\"currency\":\"NGN\",\"amount\":1,\"tx_ref\":\"r\",\"narration\":null}|Token not found",
      })
  void refusesAnInvalidCharge(String body, String message) {
    assertError(post("/v3/tokenized-charges", body), 400, message);
  }

  // ------------------------------------------------------------------ refunds

  @Test
  void refundsPartlyThenTheRestThenRefusesMore() {
    createLink("p-1");
    FakeTransaction paid = fake.pay("p-1");
    Answer partial = post("/v3/transactions/" + paid.id() + "/refund", "{\"amount\":20}");
    assertThat(partial.status()).isEqualTo(200);
    assertThat(partial.json().get("message").asText()).isEqualTo("Transaction refund initiated");
    JsonNode data = partial.data();
    assertThat(data.get("tx_id").asLong()).isEqualTo(paid.id());
    assertThat(data.get("amount_refunded").decimalValue()).isEqualTo(new BigDecimal("20"));
    assertThat(data.get("status").asText()).isEqualTo("completed");
    assertThat(data.get("destination").asText()).isEqualTo("payment_source");
    assertThat(data.get("created_at").asText()).isEqualTo("2026-12-03T09:00:00.000Z");
    assertThat(data.get("id").isIntegralNumber()).isTrue();

    Answer rest = post("/v3/transactions/" + paid.id() + "/refund", "{}");
    assertThat(rest.data().get("amount_refunded").decimalValue()).isEqualTo(new BigDecimal("25"));
    assertThat(rest.data().get("id").asLong()).isGreaterThan(data.get("id").asLong());

    assertError(
        post("/v3/transactions/" + paid.id() + "/refund", "{\"amount\":1}"),
        400,
        "Refund amount exceeds transaction amount");
    assertError(
        post("/v3/transactions/" + paid.id() + "/refund", ""),
        400,
        "Refund amount exceeds transaction amount");
    assertThat(fake.refunds(paid.id()))
        .extracting(FakeRefund::amountRefunded)
        .containsExactly(new BigDecimal("20"), new BigDecimal("25"));
  }

  @Test
  void overRefundIs400AndDecimalRefundsAreExact() {
    post("/v3/payments", link("p-1", "1500.50", "NGN"));
    FakeTransaction paid = fake.pay("p-1");
    assertError(
        post("/v3/transactions/" + paid.id() + "/refund", "{\"amount\":1500.51}"),
        400,
        "Refund amount exceeds transaction amount");
    Answer answer = post("/v3/transactions/" + paid.id() + "/refund", "{\"amount\":\"0.50\"}");
    assertThat(answer.body()).contains("\"amount_refunded\":0.50");
    assertError(
        post("/v3/transactions/" + paid.id() + "/refund", "{\"amount\":0}"),
        400,
        "amount must be greater than 0");
    assertThat(fake.refunds(paid.id())).hasSize(1);
  }

  @Test
  void refundsCanBePending() {
    createLink("p-1");
    FakeTransaction paid = fake.pay("p-1");
    fake.refundsPendingNext();
    Answer pending = post("/v3/transactions/" + paid.id() + "/refund", "{\"amount\":5}");
    assertThat(pending.data().get("status").asText()).isEqualTo("pending");
    Answer completed = post("/v3/transactions/" + paid.id() + "/refund", "{\"amount\":5}");
    assertThat(completed.data().get("status").asText()).isEqualTo("completed");
    assertThat(fake.refunds(paid.id()))
        .extracting(FakeRefund::status)
        .containsExactly("pending", "completed");
  }

  @Test
  void refundOfUnknownOrUnpaidTransactionIsRefused() {
    assertError(
        post("/v3/transactions/42/refund", "{}"), 404, "No transaction was found for this id");
    createLink("p-1");
    FakeTransaction failed = fake.failAttempt("p-1");
    assertError(
        post("/v3/transactions/" + failed.id() + "/refund", "{}"),
        400,
        "Only successful transactions can be refunded");
    assertThat(fake.refunds(failed.id())).isEmpty();
  }

  // ------------------------------------------------------------------ balances

  @Test
  void balancesAreWhatWasPaidLessRefunds() {
    Answer empty = get("/v3/balances");
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.json().get("message").asText()).isEqualTo("Wallet balances fetched");
    assertThat(empty.data().get(0).get("currency").asText()).isEqualTo("NGN");
    assertThat(empty.data().get(0).get("available_balance").decimalValue()).isZero();

    post("/v3/payments", link("p-1", "1500.50", "NGN"));
    FakeTransaction paid = fake.pay("p-1");
    post("/v3/transactions/" + paid.id() + "/refund", "{\"amount\":500}");
    JsonNode balance = get("/v3/balances").data().get(0);
    assertThat(balance.get("available_balance").decimalValue())
        .isEqualTo(new BigDecimal("1000.50"));
    assertThat(balance.get("ledger_balance").decimalValue()).isEqualTo(new BigDecimal("1000.50"));
  }
}
