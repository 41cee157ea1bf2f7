package dev.billingsdk.purchase;

import static dev.billingsdk.purchase.PurchaseStoryTest.ACME;
import static dev.billingsdk.purchase.PurchaseStoryTest.ADA;
import static dev.billingsdk.purchase.PurchaseStoryTest.BACK;
import static dev.billingsdk.purchase.PurchaseStoryTest.OK;
import static dev.billingsdk.purchase.PurchaseStoryTest.TEAM;
import static dev.billingsdk.purchase.PurchaseStoryTest.USD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.spi.StoredProviderEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The purchase values and requests refuse bad input at once, naming the field. */
class PurchaseValuesTest {
  static final Instant T = Instant.parse("2026-12-01T09:00:00Z");
  static final PurchasedItem ITEM =
      new PurchasedItem(CatalogueItem.Kind.CREDIT_PACKAGE, "growth", 1, "Growth");

  static void refused(ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  static StartCheckoutRequest.Builder start() {
    return StartCheckoutRequest.builder(ACME, TEAM, PurchaseId.of("p"));
  }

  static Purchase purchase(PurchaseState state, Amount refunded) {
    return new Purchase(
        ACME,
        PurchaseId.of("p"),
        TEAM,
        ITEM,
        Amount.of(USD, 45),
        "stripe",
        state,
        Optional.of("cs"),
        Optional.empty(),
        refunded,
        false,
        T,
        T,
        0);
  }

  @Test
  @DisplayName("start checkout: each setter once; one item; required fields named")
  void startCheckout() {
    Map<String, Consumer<StartCheckoutRequest.Builder>> setters =
        Map.of(
            "creditPackage", b -> b.creditPackage(PackageId.of("growth")),
            "provider", b -> b.provider("stripe"),
            "successUrl", b -> b.successUrl(OK),
            "cancelUrl", b -> b.cancelUrl(BACK),
            "customer", b -> b.customer("cus_1"),
            "customerEmail", b -> b.customerEmail("a@b.example"),
            "saveForOffSession", b -> b.saveForOffSession(true),
            "actor", b -> b.actor(ADA));
    setters.forEach(
        (field, set) -> {
          StartCheckoutRequest.Builder b = start();
          set.accept(b);
          refused(() -> set.accept(b), field);
        });
    refused(() -> start().creditPackage(PackageId.of("a")).plan(PlanId.of("b"), USD), "item");
    refused(() -> start().plan(PlanId.of("b"), USD).creditPackage(PackageId.of("a")), "item");
    refused(() -> start().build(), "item");
    refused(() -> start().creditPackage(PackageId.of("a")).build(), "provider");
    refused(() -> start().creditPackage(PackageId.of("a")).provider("s").build(), "successUrl");
    refused(
        () -> start().creditPackage(PackageId.of("a")).provider("s").successUrl(OK).build(),
        "cancelUrl");
    refused(
        () ->
            start()
                .creditPackage(PackageId.of("a"))
                .provider("s")
                .successUrl(OK)
                .cancelUrl(OK)
                .build(),
        "actor");
    StartCheckoutRequest r =
        start()
            .plan(PlanId.of("pro"), USD)
            .provider("stripe")
            .successUrl(OK)
            .cancelUrl(BACK)
            .actor(ADA)
            .customer("cus")
            .customerEmail("a@b.example")
            .saveForOffSession(true)
            .build();
    assertThat(r.plan()).contains(PlanId.of("pro"));
    assertThat(r.planCurrency()).contains(USD);
    assertThat(r.creditPackage()).isEmpty();
    assertThat(r.customer()).contains("cus");
    assertThat(r.customerEmail()).contains("a@b.example");
    assertThat(r.saveForOffSession()).isTrue();
    assertThat(r.toString()).contains("plan pro", "stripe");
    assertThat(
            start()
                .creditPackage(PackageId.of("g"))
                .provider("s")
                .successUrl(OK)
                .cancelUrl(OK)
                .actor(ADA)
                .build()
                .toString())
        .contains("package g");
  }

  @Test
  @DisplayName("refund request: each setter once; positive amount; required fields named")
  void refundRequest() {
    RefundRequest.Builder b =
        RefundRequest.builder(ACME, PurchaseId.of("p")).amount(Amount.of(USD, 1));
    refused(() -> b.amount(Amount.of(USD, 2)), "amount");
    refused(
        () -> RefundRequest.builder(ACME, PurchaseId.of("p")).amount(Amount.zero(USD)), "amount");
    refused(() -> RefundRequest.builder(ACME, PurchaseId.of("p")).build(), "idempotencyKey");
    refused(
        () ->
            RefundRequest.builder(ACME, PurchaseId.of("p"))
                .idempotencyKey(IdempotencyKey.of("k"))
                .build(),
        "actor");
    refused(
        () ->
            RefundRequest.builder(ACME, PurchaseId.of("p"))
                .idempotencyKey(IdempotencyKey.of("k"))
                .actor(ADA)
                .build(),
        "reason");
    RefundRequest r =
        RefundRequest.builder(ACME, PurchaseId.of("p"))
            .idempotencyKey(IdempotencyKey.of("k"))
            .actor(ADA)
            .reason("asked")
            .build();
    assertThat(r.amount()).isEmpty();
    assertThat(r.toString()).contains("rest");
    assertThat(r.tenant()).isEqualTo(ACME);
  }

  @Test
  @DisplayName("a purchase checks its parts; after(t) applies exactly one transition")
  void purchase() {
    refused(() -> purchase(PurchaseState.PAID, Amount.of(USD, 46)), "refunded");
    refused(
        () -> purchase(PurchaseState.PAID, Amount.of(CreditUnit.of("CREDIT", 0), 1)), "refunded");
    refused(
        () ->
            new Purchase(
                ACME,
                PurchaseId.of("p"),
                TEAM,
                ITEM,
                Amount.zero(USD),
                "stripe",
                PurchaseState.CREATED,
                Optional.empty(),
                Optional.empty(),
                Amount.zero(USD),
                false,
                T,
                T,
                0),
        "amount");
    refused(
        () ->
            new Purchase(
                ACME,
                PurchaseId.of("p"),
                TEAM,
                ITEM,
                Amount.of(USD, 1),
                "stripe",
                PurchaseState.CREATED,
                Optional.empty(),
                Optional.empty(),
                Amount.zero(USD),
                false,
                T,
                T,
                -1),
        "version");
    Purchase pending = purchase(PurchaseState.PENDING, Amount.zero(USD));
    PurchaseTransition paid =
        new PurchaseTransition(
            ACME,
            PurchaseId.of("p"),
            1,
            PurchaseState.PENDING,
            PurchaseState.PAID,
            T.plusSeconds(5),
            "stripe:evt_1",
            "paid",
            Optional.empty(),
            Optional.of("pi_1"),
            Amount.zero(USD),
            false);
    Purchase after = pending.after(paid);
    assertThat(after.state()).isEqualTo(PurchaseState.PAID);
    assertThat(after.paymentRef()).contains("pi_1");
    assertThat(after.checkoutRef()).contains("cs");
    assertThat(after.version()).isEqualTo(1);
    assertThat(after.updatedAt()).isEqualTo(T.plusSeconds(5));
    assertThat(after.currency()).isEqualTo(USD);
    refused(() -> after.after(paid), "transition");
    refused(
        () ->
            new PurchaseTransition(
                ACME,
                PurchaseId.of("p"),
                0,
                PurchaseState.PENDING,
                PurchaseState.PAID,
                T,
                "c",
                "",
                Optional.empty(),
                Optional.empty(),
                Amount.zero(USD),
                false),
        "sequence");
    refused(
        () ->
            new PurchaseTransition(
                ACME,
                PurchaseId.of("p"),
                1,
                PurchaseState.PAID,
                PurchaseState.REFUNDED,
                T,
                "c",
                "",
                Optional.empty(),
                Optional.empty(),
                Amount.ofMinor(USD, -1),
                false),
        "refunded");
    refused(() -> new PurchasedItem(CatalogueItem.Kind.CREDIT_PACKAGE, "g", 0, "G"), "version");
    assertThat(PurchaseState.REFUNDED.wasPaid()).isTrue();
    assertThat(PurchaseState.FAILED.wasPaid()).isFalse();
    assertThat(new PurchaseNotFoundException(ACME, PurchaseId.of("p")).purchase())
        .isEqualTo(PurchaseId.of("p"));
    assertThat(new PurchaseConflictException(PurchaseId.of("p"), "why").purchase())
        .isEqualTo(PurchaseId.of("p"));
    assertThat(
            new IllegalPurchaseTransitionException(
                    PurchaseId.of("p"), PurchaseState.PAID, PurchaseState.FAILED)
                .purchase())
        .isEqualTo(PurchaseId.of("p"));
    assertThat(
            new RefundExceedsUnusedCreditException(
                    PurchaseId.of("p"), Amount.of(USD, 2), Amount.of(USD, 1))
                .purchase())
        .isEqualTo(PurchaseId.of("p"));
  }

  @Test
  @DisplayName("a stored provider event has its outcome exactly when it was processed")
  void storedEvent() {
    ProviderEvent e =
        new ProviderEvent(
            "stripe",
            "evt",
            "t",
            ProviderEvent.Kind.OTHER,
            T,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "{}");
    refused(() -> new StoredProviderEvent(e, T, Optional.of(T), Optional.empty()), "outcome");
    refused(() -> new StoredProviderEvent(e, T, Optional.empty(), Optional.of("PAID")), "outcome");
    assertThat(new StoredProviderEvent(e, T, Optional.of(T), Optional.of("PAID")).outcome())
        .contains("PAID");
  }
}
