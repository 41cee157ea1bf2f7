package dev.billingsdk.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import java.net.URI;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The payment SPI's values refuse bad input at once, naming the field; secrets never show. */
class PaymentValuesTest {
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Amount TEN = Amount.of(USD, 10);
  static final URI OK = URI.create("https://app.example/ok");
  static final IdempotencyKey KEY = IdempotencyKey.of("k");

  static void refused(ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  static CheckoutRequest.Builder checkout() {
    return CheckoutRequest.builder("p-1", TEN);
  }

  @Test
  @DisplayName("checkout request: each setter once, the second call names the first value")
  void checkoutSettersOnce() {
    Map<String, Consumer<CheckoutRequest.Builder>> setters =
        Map.ofEntries(
            Map.entry("description", b -> b.description("Growth")),
            Map.entry("successUrl", b -> b.successUrl(OK)),
            Map.entry("cancelUrl", b -> b.cancelUrl(OK)),
            Map.entry("idempotencyKey", b -> b.idempotencyKey(KEY)),
            Map.entry("recurring", b -> b.recurring(Period.ofMonths(1))),
            Map.entry("customer", b -> b.customer("cus_1")),
            Map.entry("customerEmail", b -> b.customerEmail("a@b.example")),
            Map.entry("priceRef", b -> b.priceRef("price_1")),
            Map.entry("saveForOffSession", b -> b.saveForOffSession(true)),
            Map.entry("metadata.tenant", b -> b.metadata("tenant", "acme")));
    setters.forEach(
        (field, set) -> {
          CheckoutRequest.Builder b = checkout();
          set.accept(b);
          assertThatThrownBy(() -> set.accept(b))
              .isInstanceOfSatisfying(
                  InvalidRequestException.class,
                  e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains("was already set to");
                  });
        });
  }

  @Test
  @DisplayName("checkout request: bad values refused at once, required fields named")
  void checkoutBadValues() {
    refused(() -> CheckoutRequest.builder(" p", TEN), "purchaseRef");
    refused(() -> CheckoutRequest.builder("p", Amount.of(CreditUnit.of("CREDIT", 0), 1)), "amount");
    refused(() -> CheckoutRequest.builder("p", Amount.zero(USD)), "amount");
    refused(() -> checkout().successUrl(URI.create("/relative")), "successUrl");
    refused(() -> checkout().cancelUrl(URI.create("ftp://x.example/")), "cancelUrl");
    refused(() -> checkout().successUrl(URI.create("https:opaque")), "successUrl");
    refused(() -> checkout().recurring(Period.ZERO), "recurring");
    refused(() -> checkout().customerEmail("not-an-address"), "customerEmail");
    refused(() -> checkout().description(" "), "description");
    CheckoutRequest.Builder full = checkout();
    for (int i = 0; i < 20; i++) {
      full.metadata("k" + i, "v");
    }
    refused(() -> full.metadata("k20", "v"), "metadata");
    refused(() -> checkout().build(), "description");
    refused(() -> checkout().description("d").build(), "successUrl");
    refused(() -> checkout().description("d").successUrl(OK).build(), "cancelUrl");
    refused(
        () -> checkout().description("d").successUrl(OK).cancelUrl(OK).build(), "idempotencyKey");
    CheckoutRequest r =
        checkout().description("Growth").successUrl(OK).cancelUrl(OK).idempotencyKey(KEY).build();
    assertThat(r.mode()).isEqualTo(CheckoutMode.PAYMENT);
    assertThat(r.recurring()).isEmpty();
    assertThat(r.currency()).isEqualTo(USD);
    assertThat(r.saveForOffSession()).isFalse();
    assertThat(r.customer()).isEmpty();
    assertThat(r.customerEmail()).isEmpty();
    assertThat(r.priceRef()).isEmpty();
    assertThat(r.metadata()).isEmpty();
    assertThat(r.purchaseRef()).isEqualTo("p-1");
    assertThat(r.amount()).isEqualTo(TEN);
    assertThat(r.description()).isEqualTo("Growth");
    assertThat(r.successUrl()).isEqualTo(OK);
    assertThat(r.cancelUrl()).isEqualTo(OK);
    assertThat(r.idempotencyKey()).isEqualTo(KEY);
    assertThat(r.toString()).contains("p-1", "USD 10.00", "PAYMENT");
    CheckoutRequest sub =
        checkout()
            .description("Pro")
            .successUrl(OK)
            .cancelUrl(OK)
            .idempotencyKey(KEY)
            .recurring(Period.ofMonths(1))
            .customer("cus_1")
            .customerEmail("a@b.example")
            .priceRef("price_1")
            .saveForOffSession(true)
            .metadata("tenant", "acme")
            .build();
    assertThat(sub.mode()).isEqualTo(CheckoutMode.SUBSCRIPTION);
    assertThat(sub.recurring()).contains(Period.ofMonths(1));
    assertThat(sub.customer()).contains("cus_1");
    assertThat(sub.customerEmail()).contains("a@b.example");
    assertThat(sub.priceRef()).contains("price_1");
    assertThat(sub.saveForOffSession()).isTrue();
    assertThat(sub.metadata()).containsEntry("tenant", "acme");
  }

  @Test
  @DisplayName("the records refuse what they cannot hold, naming the field")
  void records() {
    Instant t = Instant.parse("2026-12-01T00:00:00Z");
    assertThat(CheckoutSession.of("cs_1", OK, Optional.of(t)).expiresAt()).contains(t);
    refused(() -> CheckoutSession.of(" ", OK, Optional.empty()), "reference");
    refused(
        () ->
            new ProviderEvent(
                "stripe",
                "evt",
                "t",
                ProviderEvent.Kind.OTHER,
                t,
                Optional.of(" "),
                Optional.empty(),
                Optional.empty(),
                "{}"),
        "purchaseRef");
    refused(
        () ->
            new ProviderEvent(
                "stripe",
                "evt",
                " ",
                ProviderEvent.Kind.OTHER,
                t,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "{}"),
        "type");
    ProviderEvent e =
        new ProviderEvent(
            "stripe",
            "evt_1",
            "checkout.session.completed",
            ProviderEvent.Kind.CHECKOUT_COMPLETED,
            t,
            Optional.of("p"),
            Optional.of("cs"),
            Optional.of("pi"),
            "{\"secret\":1}");
    assertThat(e.toString()).contains("evt_1").doesNotContain("secret");
    refused(() -> PaymentLookup.of(" ", Optional.empty()), "checkoutRef");
    refused(() -> PaymentLookup.of("cs", Optional.of("")), "paymentRef");
    refused(
        () -> new ProviderRefund("re_1", Amount.zero(USD), ProviderRefund.Status.SUCCEEDED),
        "amount");
    refused(() -> RefundCall.of("pi", Amount.zero(USD), KEY), "amount");
    assertThat(RefundCall.of("pi", TEN, KEY).amount()).isEqualTo(TEN);
    refused(() -> new OffSessionCharge("cus", "pm", Amount.zero(USD), "p", "d", KEY), "amount");
    refused(() -> new OffSessionCharge("cus", "pm", TEN, "p", " ", KEY), "description");
    assertThat(new OffSessionOutcome.Declined("card_declined", "no").code())
        .isEqualTo("card_declined");
    refused(() -> new OffSessionOutcome.Succeeded(" "), "paymentRef");
    refused(() -> new OffSessionOutcome.AuthenticationRequired(""), "paymentRef");
    refused(() -> new OffSessionOutcome.Processing("\t"), "paymentRef");
    assertThat(new OffSessionOutcome.Processing("flw-1").paymentRef()).isEqualTo("flw-1");
    refused(
        () ->
            new PaymentView(
                "cs",
                Optional.empty(),
                PaymentStatus.PAID,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                null),
        "refunds");
    ProviderHealth h =
        new ProviderHealth(ProviderHealth.State.DOWN, Optional.of("timeout"), Optional.of(t));
    assertThat(h.lastErrorAt()).contains(t);
    refused(() -> new ProviderHealth(null, Optional.empty(), Optional.empty()), "state");
  }

  @Test
  @DisplayName("the typed failures carry what a host reacts to")
  void failures() {
    PaymentProviderException declined =
        new PaymentProviderException(
            "stripe",
            PaymentProviderException.Kind.DECLINED,
            "card declined",
            "card_declined",
            "req_1",
            null);
    assertThat(declined.retryable()).isFalse();
    assertThat(declined.providerCode()).contains("card_declined");
    assertThat(declined.requestId()).contains("req_1");
    assertThat(declined.provider()).isEqualTo("stripe");
    assertThat(declined.kind()).isEqualTo(PaymentProviderException.Kind.DECLINED);
    for (var kind :
        List.of(
            PaymentProviderException.Kind.RATE_LIMITED,
            PaymentProviderException.Kind.UNAVAILABLE,
            PaymentProviderException.Kind.CIRCUIT_OPEN)) {
      assertThat(new PaymentProviderException("x", kind, "m", null, null, null).retryable())
          .isTrue();
    }
    WebhookRejectedException w =
        new WebhookRejectedException(
            "stripe", WebhookRejectedException.Reason.TIMESTAMP_TOO_OLD, "301 s old");
    assertThat(w.reason()).isEqualTo(WebhookRejectedException.Reason.TIMESTAMP_TOO_OLD);
    assertThat(w.provider()).isEqualTo("stripe");
    AmountNotRepresentableException a = new AmountNotRepresentableException("stripe", TEN, "why");
    assertThat(a.amount()).isEqualTo(TEN);
    assertThat(a.provider()).isEqualTo("stripe");
  }
}
