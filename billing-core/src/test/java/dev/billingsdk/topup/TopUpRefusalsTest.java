package dev.billingsdk.topup;

import static dev.billingsdk.topup.TopUpWorld.ACME;
import static dev.billingsdk.topup.TopUpWorld.ADMIN;
import static dev.billingsdk.topup.TopUpWorld.BOOST;
import static dev.billingsdk.topup.TopUpWorld.LAB;
import static dev.billingsdk.topup.TopUpWorld.USD;
import static dev.billingsdk.topup.TopUpWorld.WORKER;
import static dev.billingsdk.topup.TopUpWorld.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.catalogue.CatalogueItemNotFoundException;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.purchase.PurchaseId;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** What auto-top-up refuses, by name, and the rule's own checks. */
class TopUpRefusalsTest {
  static final Instant T0 = Instant.parse("2026-03-10T08:00:00Z");

  static void refused(ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  TopUpRule rule() {
    return new TopUpRule(
        ACME,
        LAB,
        credits(200),
        BOOST,
        "stripe",
        "cus_1",
        "pm_1",
        Duration.ZERO,
        Amount.of(USD, 30),
        3,
        ZoneOffset.UTC,
        TopUpState.ENABLED,
        0,
        Optional.empty(),
        0,
        Optional.empty(),
        YearMonth.of(2026, 3),
        Amount.of(USD, 0),
        1);
  }

  @Test
  void the_rule_refuses_what_cannot_be() {
    TopUpRule r = rule();
    assertThat(r.spentIn(YearMonth.of(2026, 4))).isEqualTo(Amount.of(USD, 0));
    refused(
        () ->
            new TopUpRule(
                ACME,
                LAB,
                Amount.of(USD, 1),
                BOOST,
                "s",
                "c",
                "p",
                Duration.ZERO,
                Amount.of(USD, 30),
                3,
                ZoneOffset.UTC,
                TopUpState.ENABLED,
                0,
                Optional.empty(),
                0,
                Optional.empty(),
                YearMonth.of(2026, 3),
                Amount.of(USD, 0),
                1),
        "threshold");
    refused(
        () ->
            new TopUpRule(
                ACME,
                LAB,
                credits(1),
                BOOST,
                "s",
                "c",
                "p",
                Duration.ZERO,
                credits(30),
                3,
                ZoneOffset.UTC,
                TopUpState.ENABLED,
                0,
                Optional.empty(),
                0,
                Optional.empty(),
                YearMonth.of(2026, 3),
                Amount.of(USD, 0),
                1),
        "monthlyCap");
    refused(
        () ->
            new TopUpRule(
                ACME,
                LAB,
                credits(1),
                BOOST,
                "s",
                "c",
                "p",
                Duration.ZERO,
                Amount.of(USD, 30),
                0,
                ZoneOffset.UTC,
                TopUpState.ENABLED,
                0,
                Optional.empty(),
                0,
                Optional.empty(),
                YearMonth.of(2026, 3),
                Amount.of(USD, 0),
                1),
        "maxFailures");
    refused(
        () ->
            new TopUpRule(
                ACME,
                LAB,
                credits(1),
                BOOST,
                "s",
                "c",
                "p",
                Duration.ZERO,
                Amount.of(USD, 30),
                3,
                ZoneOffset.UTC,
                TopUpState.ENABLED,
                -1,
                Optional.empty(),
                0,
                Optional.empty(),
                YearMonth.of(2026, 3),
                Amount.of(USD, 0),
                1),
        "failures");
    refused(
        () ->
            new TopUpRule(
                ACME,
                LAB,
                credits(1),
                BOOST,
                "s",
                "c",
                "p",
                Duration.ZERO,
                Amount.of(USD, 30),
                3,
                ZoneOffset.UTC,
                TopUpState.ENABLED,
                0,
                Optional.empty(),
                -1,
                Optional.empty(),
                YearMonth.of(2026, 3),
                Amount.of(USD, 0),
                1),
        "requested");
    refused(
        () ->
            new TopUpRule(
                ACME,
                LAB,
                credits(1),
                BOOST,
                "s",
                "c",
                "p",
                Duration.ZERO,
                Amount.of(USD, 30),
                3,
                ZoneOffset.UTC,
                TopUpState.ENABLED,
                0,
                Optional.empty(),
                0,
                Optional.empty(),
                YearMonth.of(2026, 3),
                Amount.of(USD, 0),
                0),
        "version");
    refused(() -> TopUpRuleRequest.builder(ACME, LAB, credits(1)).build(), "creditPackage");
    refused(
        () ->
            TopUpRuleRequest.builder(ACME, LAB, credits(1))
                .creditPackage(BOOST)
                .provider("p")
                .savedMethod("c", "m")
                .build(),
        "monthlyCap");
    refused(() -> TopUpRuleRequest.builder(ACME, LAB, credits(-1)), "threshold");
    refused(
        () -> TopUpRuleRequest.builder(ACME, LAB, credits(1)).cooldown(Duration.ofSeconds(-1)),
        "cooldown");
    refused(() -> TopUpRuleRequest.builder(ACME, LAB, credits(1)).maxFailures(101), "maxFailures");
    TopUpRuleRequest ok =
        TopUpRuleRequest.builder(ACME, LAB, credits(1))
            .creditPackage(BOOST)
            .provider("p")
            .savedMethod("cus_1", "pm_secret")
            .monthlyCap(Amount.of(USD, 1))
            .actor(ADMIN)
            .build();
    assertThat(ok.cooldown()).isEqualTo(Duration.ofHours(1));
    assertThat(ok.maxFailures()).isEqualTo(3);
    assertThat(ok.toString()).contains("boost").doesNotContain("pm_secret");
  }

  @Test
  void configuring_refuses_an_unknown_account_package_provider_or_unit_and_stores_nothing() {
    TopUpWorld w = new TopUpWorld(T0);
    assertThatThrownBy(
            () ->
                w.billing
                    .autoTopUps()
                    .configure(
                        TopUpRuleRequest.builder(ACME, AccountId.of("ghost"), credits(1))
                            .creditPackage(BOOST)
                            .provider("recurring")
                            .savedMethod("c", "m")
                            .monthlyCap(Amount.of(USD, 30))
                            .actor(ADMIN)
                            .build()))
        .isInstanceOf(AccountNotFoundException.class);
    assertThatThrownBy(
            () ->
                w.billing
                    .autoTopUps()
                    .configure(w.rule().creditPackage(PackageId.of("none")).build()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                w.billing
                    .autoTopUps()
                    .configure(
                        TopUpRuleRequest.builder(ACME, LAB, credits(1))
                            .creditPackage(PackageId.of("none"))
                            .provider("recurring")
                            .savedMethod("c", "m")
                            .monthlyCap(Amount.of(USD, 30))
                            .actor(ADMIN)
                            .build()))
        .isInstanceOf(CatalogueItemNotFoundException.class);
    refused(
        () ->
            w.billing
                .autoTopUps()
                .configure(
                    TopUpRuleRequest.builder(ACME, LAB, credits(1))
                        .creditPackage(BOOST)
                        .provider("nobody")
                        .savedMethod("c", "m")
                        .monthlyCap(Amount.of(USD, 30))
                        .actor(ADMIN)
                        .build()),
        "provider");
    refused(
        () ->
            w.billing
                .autoTopUps()
                .configure(
                    TopUpRuleRequest.builder(ACME, LAB, Amount.of(CreditUnit.of("TOKEN", 0), 1))
                        .creditPackage(BOOST)
                        .provider("recurring")
                        .savedMethod("c", "m")
                        .monthlyCap(Amount.of(USD, 30))
                        .actor(ADMIN)
                        .build()),
        "creditPackage");
    refused(() -> w.billing.autoTopUps().disable(ACME, LAB, ADMIN), "account");
    assertThat(w.billing.autoTopUps().rule(ACME, LAB)).isEmpty();
    assertThat(w.billing.autoTopUps().runFor(ACME, LAB, WORKER)).isEmpty();
    assertThatThrownBy(
            () ->
                w.billing
                    .autoTopUps()
                    .run(ACME, dev.billingsdk.Actor.of("u", dev.billingsdk.Role.USER)))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void a_disabled_rule_buys_nothing_and_configuring_again_keeps_the_counters() {
    TopUpWorld w = new TopUpWorld(T0);
    w.billing.autoTopUps().configure(w.rule().build());
    w.use(850);
    w.run();
    TopUpRule disabled = w.billing.autoTopUps().disable(ACME, LAB, ADMIN);
    assertThat(disabled.state()).isEqualTo(TopUpState.DISABLED);
    w.use(1_000);
    w.clock.advance(Duration.ofHours(2));
    assertThat(w.run()).isEmpty();
    TopUpRule again = w.billing.autoTopUps().configure(w.rule().build());
    assertThat(again.requested()).isEqualTo(1);
    assertThat(again.spent()).isEqualTo(Amount.of(USD, "10.00"));
    assertThat(again.lastTopUpAt()).isPresent();
    assertThat(w.billing.purchases().purchase(ACME, PurchaseId.of("lab-topup-1"))).isPresent();
  }
}
