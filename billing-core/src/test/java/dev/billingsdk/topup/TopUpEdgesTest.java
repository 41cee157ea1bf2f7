package dev.billingsdk.topup;

import static dev.billingsdk.topup.TopUpWorld.ACME;
import static dev.billingsdk.topup.TopUpWorld.ADMIN;
import static dev.billingsdk.topup.TopUpWorld.LAB;
import static dev.billingsdk.topup.TopUpWorld.USD;
import static dev.billingsdk.topup.TopUpWorld.WORKER;
import static dev.billingsdk.topup.TopUpWorld.credits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.setup.Billing;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The top-up paths the stories do not walk: a claim whose charge was lost, a moved alert, a zone.
 */
class TopUpEdgesTest {
  static final Instant T0 = Instant.parse("2026-03-10T08:00:00Z");

  @Test
  void a_top_up_claimed_by_a_worker_that_died_before_charging_is_charged_by_the_next_run() {
    TopUpWorld w = new TopUpWorld(T0);
    TopUpRule rule = w.billing.autoTopUps().configure(w.rule().build());
    w.use(850);
    // The dead worker's claim: the rule names a pending purchase that was never made.
    TopUpRule claimed =
        rule.next(
            TopUpState.ENABLED,
            0,
            Optional.of(PurchaseId.of("lab-topup-1")),
            1,
            Optional.empty(),
            rule.spentMonth(),
            Amount.of(USD, "10.00"));
    assertThat(w.topUpStore.save(Optional.of(rule), claimed)).isTrue();
    assertThat(w.run()).extracting(TopUpOutcome::result).containsExactly(TopUpOutcome.Result.PAID);
    assertThat(
            w.billing
                .purchases()
                .purchase(ACME, PurchaseId.of("lab-topup-1"))
                .orElseThrow()
                .state())
        .isEqualTo(PurchaseState.PAID);
    assertThat(w.provider.charged).hasSize(1);
    assertThat(w.available()).isEqualTo(150 + 1_000);
  }

  @Test
  void an_alert_moved_to_another_threshold_no_longer_triggers_the_rule() {
    TopUpWorld w = new TopUpWorld(T0);
    w.billing.autoTopUps().configure(w.rule().build());
    w.billing
        .credits()
        .configureLowBalanceAlert(
            ACME, LAB, Optional.of(LowBalanceAlert.below(credits(50))), ADMIN);
    w.use(900); // below 200, not below 50
    assertThat(w.run()).isEmpty();
    assertThat(w.provider.charged).isEmpty();
  }

  @Test
  void the_monthly_cap_counts_the_calendar_month_of_the_economy_settings_zone() {
    TopUpWorld plain = new TopUpWorld(T0);
    InMemoryEconomyStore economy = InMemoryEconomyStore.create();
    Billing billing =
        Billing.builder()
            .store(plain.store)
            .catalogue(plain.catalogue)
            .purchases(plain.purchases, plain.purchases)
            .paymentProvider(plain.provider)
            .economy(economy)
            .autoTopUps(plain.topUpStore)
            .clock(plain.clock)
            .build();
    billing
        .economy()
        .saveSettings(
            SettingsUpdate.of(
                ACME,
                0,
                EconomySettings.builder(CreditPrice.of(credits(100), Amount.of(USD, 1)))
                    .calendarZone(ZoneId.of("Asia/Tokyo"))
                    .build(),
                ADMIN,
                "Tokyo"));
    TopUpRule rule = billing.autoTopUps().configure(plain.rule(Duration.ZERO).build());
    assertThat(rule.zone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    plain.use(850);
    assertThat(billing.autoTopUps().run(ACME, WORKER))
        .extracting(TopUpOutcome::result)
        .containsExactly(TopUpOutcome.Result.PAID);
  }
}
