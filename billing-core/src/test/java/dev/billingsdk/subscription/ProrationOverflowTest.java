package dev.billingsdk.subscription;

import static dev.billingsdk.subscription.SubscriptionWorld.ACME;
import static dev.billingsdk.subscription.SubscriptionWorld.ADMIN;
import static dev.billingsdk.subscription.SubscriptionWorld.CARA;
import static dev.billingsdk.subscription.SubscriptionWorld.CUSTOMER;
import static dev.billingsdk.subscription.SubscriptionWorld.STARTER;
import static dev.billingsdk.subscription.SubscriptionWorld.USD;
import static dev.billingsdk.subscription.SubscriptionWorld.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlanDraft;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * An upgrade's prorated price or allowance difference beyond a long: refused with an {@link
 * AmountOverflowException} naming the field and its exact value, before anything is charged,
 * granted or moved; never a raw {@link ArithmeticException}. The rest of the period is more than a
 * period only when the host's clock reads before the paid period's start (a clock set back).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProrationOverflowTest {
  static final long MAX = Long.MAX_VALUE;
  static final PlanId HUGE_PRICE = PlanId.of("huge-price");
  static final PlanId HUGE_ALLOWANCE = PlanId.of("huge-allowance");

  final SubscriptionWorld w =
      new SubscriptionWorld(
          Instant.parse("2026-04-01T00:00:00Z"), ZoneOffset.UTC, DunningSchedule.standard());

  private void plan(PlanId id, Amount price, Amount allowance) {
    w.billing
        .catalogue()
        .createPlan(
            ACME,
            SubscriptionPlanDraft.builder(id, id.value())
                .cadence(Period.ofMonths(1))
                .price(price)
                .allowance(allowance)
                .build(),
            ADMIN);
  }

  /** Starter paid for April; then the host's clock reads a year earlier. */
  private SubscriptionId starterThenClockSetBack() {
    w.subscriptions()
        .subscribe(
            SubscribeRequest.builder(ACME, CARA, SubscriptionId.of("s"), STARTER, USD)
                .provider("recurring")
                .actor(CUSTOMER)
                .savedMethod("cus_1", "pm_card")
                .build());
    assertThat(w.subscription("s").state()).isEqualTo(SubscriptionState.ACTIVE);
    w.clock.set(Instant.parse("2025-04-01T00:00:00Z"));
    return SubscriptionId.of("s");
  }

  private record Snapshot(
      Subscription subscription, int charges, List<LedgerTransaction> ledger, Amount available) {}

  private Snapshot snapshot() {
    return new Snapshot(
        w.subscription("s"),
        w.provider.charged.size(),
        w.store.transactions(ACME, CARA),
        w.balance().available());
  }

  @Test
  void a_prorated_price_difference_beyond_a_long_is_refused_naming_charge() {
    plan(HUGE_PRICE, Amount.ofMinor(USD, MAX), credits(1_000));
    SubscriptionId id = starterThenClockSetBack();
    Snapshot before = snapshot();

    // 13 months left of a 30-day period: (MAX - 1,000 cents) x 395/30. Was a raw
    // ArithmeticException ("Overflow") from the rounding to a long.
    Throwable thrown =
        catchThrowable(() -> w.subscriptions().changePlan(ACME, id, HUGE_PRICE, CUSTOMER, "up"));
    assertThat(thrown).isInstanceOf(AmountOverflowException.class);
    assertThat(thrown.getMessage())
        .contains("charge")
        .contains("121441065151921201626") // (MAX - 1000) x 395 / 30, half up
        .contains("USD");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void a_prorated_allowance_difference_beyond_a_long_is_refused_naming_proratedCredits() {
    plan(HUGE_ALLOWANCE, Amount.of(USD, "20.00"), credits(MAX));
    SubscriptionId id = starterThenClockSetBack();
    Snapshot before = snapshot();

    Throwable thrown =
        catchThrowable(
            () -> w.subscriptions().changePlan(ACME, id, HUGE_ALLOWANCE, CUSTOMER, "up"));
    assertThat(thrown).isInstanceOf(AmountOverflowException.class);
    assertThat(thrown.getMessage())
        .contains("proratedCredits")
        .contains("121441065151921201625") // (MAX - 1000) x 395 / 30, down
        .contains("CREDIT");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void a_clock_set_back_past_292_years_is_prorated_exactly_or_refused_typed() {
    // Duration.toNanos overflows past 292 years: the rest of the period is counted in BigInteger.
    plan(HUGE_PRICE, Amount.ofMinor(USD, MAX), credits(1_000));
    SubscriptionId id = starterThenClockSetBack();
    w.clock.set(Instant.parse("1700-04-01T00:00:00Z"));
    Snapshot before = snapshot();
    Throwable thrown =
        catchThrowable(() -> w.subscriptions().changePlan(ACME, id, HUGE_PRICE, CUSTOMER, "up"));
    assertThat(thrown).isInstanceOf(AmountOverflowException.class);
    assertThat(thrown.getMessage()).contains("charge");
    assertThat(snapshot()).isEqualTo(before);
  }
}
