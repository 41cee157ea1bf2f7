package dev.billingsdk.topup;

import static dev.billingsdk.topup.TopUpWorld.ACME;
import static dev.billingsdk.topup.TopUpWorld.LAB;
import static dev.billingsdk.topup.TopUpWorld.USD;
import static dev.billingsdk.topup.TopUpWorld.WORKER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.payment.OffSessionOutcome;
import dev.billingsdk.payment.PaymentStatus;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.topup.TopUpOutcome.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Auto-top-up (seed 003) told as stories: the balance crosses the threshold, one package is bought
 * off-session and granted through the purchase path once, within the guardrails.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AutoTopUpStoryTest {
  static final Instant T0 = Instant.parse("2026-03-10T08:00:00Z");

  @Test
  void eight_threads_crossing_the_threshold_at_once_make_exactly_one_top_up() throws Exception {
    TopUpWorld w = new TopUpWorld(T0);
    w.billing.autoTopUps().configure(w.rule().build());
    Billing second = w.instance();
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Optional<TopUpOutcome>>> runs = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        Billing through = t % 2 == 0 ? w.billing : second;
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  w.use(105); // 1000 - 8 × 105 = 160: below 200 once, by one of the eight
                  return through.autoTopUps().runFor(ACME, LAB, WORKER);
                }));
      }
      // A worker that finds the top-up claimed reads it and may report it paid too: one purchase.
      java.util.Set<PurchaseId> paid = new java.util.HashSet<>();
      for (Future<Optional<TopUpOutcome>> f : runs) {
        f.get()
            .filter(o -> o.result() == Result.PAID)
            .flatMap(TopUpOutcome::purchase)
            .ifPresent(paid::add);
      }
      assertThat(paid).containsExactly(PurchaseId.of("lab-topup-1"));
    } finally {
      pool.shutdownNow();
    }
    assertThat(w.provider.charged).hasSize(1);
    assertThat(w.available()).isEqualTo(160 + 1_000);
    assertThat(
            w.billing
                .purchases()
                .purchase(ACME, PurchaseId.of("lab-topup-1"))
                .orElseThrow()
                .state())
        .isEqualTo(PurchaseState.PAID);
    assertThat(w.billing.purchases().purchase(ACME, PurchaseId.of("lab-topup-2"))).isEmpty();
    // The top-up brought the balance back above the threshold: the trigger re-armed, and another
    // run buys nothing.
    assertThat(w.run()).isEmpty();
    assertThat(w.topUpEvents()).containsExactly(Result.PAID);
  }

  @Test
  void three_failed_top_ups_disable_the_rule_and_say_so() {
    TopUpWorld w = new TopUpWorld(T0);
    w.billing.autoTopUps().configure(w.rule(Duration.ZERO).build());
    w.provider.queue(
        new OffSessionOutcome.Declined("card_declined", ""),
        new OffSessionOutcome.Declined("card_declined", ""),
        new OffSessionOutcome.Declined("insufficient_funds", ""));
    w.use(900);
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(Result.FAILED);
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(Result.FAILED);
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(Result.DISABLED);
    TopUpRule rule = w.billing.autoTopUps().rule(ACME, LAB).orElseThrow();
    assertThat(rule.state()).isEqualTo(TopUpState.DISABLED);
    assertThat(rule.failures()).isEqualTo(3);
    assertThat(rule.spentIn(rule.spentMonth())).isEqualTo(Amount.of(USD, "0.00"));
    assertThat(w.run()).isEmpty();
    assertThat(w.available()).isEqualTo(100);
    assertThat(w.topUpEvents()).containsExactly(Result.FAILED, Result.FAILED, Result.DISABLED);
    // Configured again (a new card), it buys again.
    w.billing.autoTopUps().configure(w.rule(Duration.ZERO).build());
    assertThat(w.billing.autoTopUps().rule(ACME, LAB).orElseThrow().failures()).isZero();
  }

  @Test
  void the_bank_asking_for_authentication_pauses_the_rule_and_tells_the_host() {
    TopUpWorld w = new TopUpWorld(T0);
    w.billing.autoTopUps().configure(w.rule().build());
    w.provider.queue(new OffSessionOutcome.AuthenticationRequired("pi_lab-topup-1"));
    w.use(850);
    assertThat(w.run())
        .extracting(TopUpOutcome::result, TopUpOutcome::purchase)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Result.AUTHENTICATION_REQUIRED, Optional.of(PurchaseId.of("lab-topup-1"))));
    assertThat(w.billing.autoTopUps().rule(ACME, LAB).orElseThrow().state())
        .isEqualTo(TopUpState.PAUSED_FOR_AUTHENTICATION);
    assertThat(w.topUpEvents()).containsExactly(Result.AUTHENTICATION_REQUIRED);
    w.clock.advance(Duration.ofDays(1));
    assertThat(w.run()).isEmpty();
    assertThat(w.available()).isEqualTo(150);
  }

  @Test
  void the_cooldown_and_the_monthly_cap_hold_and_the_cap_opens_again_next_month() {
    TopUpWorld w = new TopUpWorld(T0);
    w.billing.autoTopUps().configure(w.rule().build()); // 10.00 a top-up, 30.00 a month
    w.use(850);
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(Result.PAID);
    w.use(1_000);
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(Result.COOLDOWN);
    w.clock.advance(Duration.ofMinutes(10));
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(Result.PAID);
    w.use(1_000);
    w.clock.advance(Duration.ofMinutes(10));
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(Result.PAID);
    w.use(1_000);
    w.clock.advance(Duration.ofMinutes(10));
    assertThat(w.run())
        .extracting(TopUpOutcome::result)
        .containsExactly(Result.MONTHLY_CAP_REACHED);
    assertThat(w.provider.charged).hasSize(3);
    // April 1st, UTC: a new month, a new cap.
    w.clock.set(Instant.parse("2026-04-01T00:00:00Z"));
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(Result.PAID);
    assertThat(
            w.billing
                .autoTopUps()
                .rule(ACME, LAB)
                .orElseThrow()
                .spentIn(java.time.YearMonth.of(2026, 4)))
        .isEqualTo(Amount.of(USD, "10.00"));
  }

  @Test
  void a_top_up_still_processing_is_pending_and_nothing_more_is_bought_until_it_settles() {
    TopUpWorld w = new TopUpWorld(T0);
    w.billing.autoTopUps().configure(w.rule(Duration.ZERO).build());
    w.provider.queue(new OffSessionOutcome.Processing("pi_lab-topup-1"));
    w.use(850);
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(Result.PROCESSING);
    w.use(100);
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(Result.PROCESSING);
    assertThat(w.provider.charged).hasSize(1);
    assertThat(w.billing.autoTopUps().rule(ACME, LAB).orElseThrow().pending())
        .contains(PurchaseId.of("lab-topup-1"));
    w.provider.settle("pi_lab-topup-1", PaymentStatus.PAID);
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(Result.PAID);
    assertThat(w.available()).isEqualTo(50 + 1_000);
    assertThat(w.billing.autoTopUps().rule(ACME, LAB).orElseThrow().pending()).isEmpty();
  }

  @Test
  void a_declined_card_is_not_retried_in_a_storm_the_cooldown_holds_after_a_failure() {
    // Lago retried a declined top-up on every balance refresh.
    TopUpWorld w = new TopUpWorld(T0);
    w.billing.autoTopUps().configure(w.rule(Duration.ofHours(1)).build());
    w.provider.queue(new OffSessionOutcome.Declined("card_declined", ""));
    w.use(900);
    for (int i = 0; i < 100; i++) {
      w.clock.advance(Duration.ofSeconds(30));
      w.run();
    }
    assertThat(w.provider.charged).isEmpty(); // declined charges are not taken
    assertThat(w.billing.purchases().purchase(ACME, PurchaseId.of("lab-topup-2"))).isEmpty();
    // The first attempt ended at T0 + 30 s; an hour after it, the next one is made.
    w.clock.set(T0.plusSeconds(30).plus(Duration.ofHours(1)));
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(Result.PAID);
    assertThat(w.billing.autoTopUps().rule(ACME, LAB).orElseThrow().failures()).isZero();
  }

  @Test
  void bad_rules_are_refused_by_name_and_store_nothing() {
    TopUpWorld w = new TopUpWorld(T0);
    assertThatThrownBy(() -> w.rule().monthlyCap(Amount.of(TopUpWorld.CREDIT, 5)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("monthlyCap"));
    assertThatThrownBy(
            () ->
                w.billing
                    .autoTopUps()
                    .configure(
                        w.rule()
                            .monthlyCap(Amount.of(dev.billingsdk.money.CurrencyUnit.of("EUR"), 30))
                            .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("monthlyCap"));
    assertThatThrownBy(() -> w.rule().maxFailures(0))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("maxFailures"));
    assertThatThrownBy(() -> TopUpRuleRequest.builder(ACME, LAB, Amount.of(USD, 5)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("threshold"));
    assertThat(w.billing.autoTopUps().rule(ACME, LAB)).isEmpty();
    assertThat(w.billing.autoTopUps().run(ACME, WORKER)).isEmpty();
  }
}
