package dev.billingsdk.report;

import static dev.billingsdk.report.RevenueWorld.ACME;
import static dev.billingsdk.report.RevenueWorld.ADMIN;
import static dev.billingsdk.report.RevenueWorld.FINANCE;
import static dev.billingsdk.report.RevenueWorld.UTC;
import static dev.billingsdk.report.RevenueWorld.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.setup.Billing;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Partner payouts: once per (partner, month), resumable, a dry run writes nothing. */
class PayoutExactlyOnceTest {
  static final YearMonth MARCH = YearMonth.of(2026, 3);
  final RevenueWorld w = new RevenueWorld(Instant.parse("2026-03-02T09:00:00Z"));

  private void march() {
    w.settings("30", "10");
    w.open("alice");
    w.reports().publishModule(ACME, "llm-tokens", "partner-p", w.clock.instant(), ADMIN);
    w.reports().publishModule(ACME, "gpu", "partner-p", w.clock.instant(), ADMIN);
    w.reports().publishModule(ACME, "storage", "partner-s", w.clock.instant(), ADMIN);
    // 3 credits for $1: every credit is worth 33⅓ cents.
    w.buy("alice", 300, "100.00", 300);
    w.use("alice", "llm-tokens", 1);
    w.use("alice", "gpu", 1);
    w.use("alice", "storage", 30);
  }

  private PayoutRequest run(boolean dry) {
    return new PayoutRequest(ACME, MARCH, UTC, RoundingMode.HALF_EVEN, dry, FINANCE);
  }

  @Test
  void aMonthThatIsNotOverIsRefused() {
    march();
    assertThatThrownBy(() -> w.reports().runPayouts(run(false)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("month");
    assertThat(w.revenueStore.payouts(ACME, MARCH)).isEmpty();
  }

  @Test
  void aDryRunSaysWhatItWouldPayAndWritesNothing() {
    march();
    w.clock.set(Instant.parse("2026-04-01T00:00:00Z"));
    PayoutRun dry = w.reports().runPayouts(run(true));
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.created()).extracting(Payout::partner).containsExactly("partner-p", "partner-s");
    assertThat(w.revenueStore.payouts(ACME, MARCH)).isEmpty();
    PayoutRun real = w.reports().runPayouts(run(false));
    assertThat(real.created()).isEqualTo(dry.created());
  }

  @Test
  void theSecondRunPaysNothingTwice() {
    march();
    w.clock.set(Instant.parse("2026-04-03T00:00:00Z"));
    PayoutRun first = w.reports().runPayouts(run(false));
    assertThat(first.created()).hasSize(2);
    Payout p = first.created().get(0);
    // Two module rows of 33⅓ cents each: the payout rounds the exact 66⅔ × 30 % = 20 cents once
    // (per module it would be 10 + 10 = 20 here too, but from rounded revenue 0.33 × 2 × 30 %).
    assertThat(p.amounts()).containsExactly(usd("0.20"));
    assertThat(p.transactions()).isEqualTo(2);
    assertThat(p.share()).isEqualTo(Percentage.of(30));
    PayoutRun second = w.reports().runPayouts(run(false));
    assertThat(second.created()).isEmpty();
    assertThat(second.existing()).containsExactlyElementsOf(first.created());
    assertThat(w.revenueStore.payouts(ACME, MARCH)).hasSize(2);
    // The storage partner: 30 credits × 33⅓ = $10.00; 30 % = $3.00.
    assertThat(first.created().get(1).amounts()).containsExactly(usd("3.00"));
  }

  @Test
  void theSettingsDryRunSwitchMakesEveryRunADryRun() {
    march();
    EconomySettings on =
        EconomySettings.builder(w.billing.economy().settings(ACME).orElseThrow().settings())
            .dryRunPartnerPayouts(true)
            .build();
    w.billing.economy().saveSettings(SettingsUpdate.of(ACME, 1, on, FINANCE, "dry run"));
    w.clock.set(Instant.parse("2026-04-03T00:00:00Z"));
    PayoutRun r = w.reports().runPayouts(run(false));
    assertThat(r.dryRun()).isTrue();
    assertThat(r.created()).hasSize(2);
    assertThat(w.revenueStore.payouts(ACME, MARCH)).isEmpty();
  }

  @Test
  void twoInstancesRacingWriteEachPayoutOnce() throws Exception {
    march();
    w.clock.set(Instant.parse("2026-04-03T00:00:00Z"));
    Billing other =
        Billing.builder()
            .store(w.store)
            .economy(w.economyStore)
            .revenue(w.revenueStore)
            .clock(w.clock)
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<PayoutRun>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        RevenueReports reports = i % 2 == 0 ? w.reports() : other.revenue();
        Actor actor = Actor.system("payout-" + i);
        runs.add(
            pool.submit(
                () -> {
                  go.await();
                  return reports.runPayouts(
                      PayoutRequest.run(ACME, MARCH, UTC, RoundingMode.HALF_EVEN, actor));
                }));
      }
      go.countDown();
      int created = 0;
      for (Future<PayoutRun> f : runs) {
        PayoutRun r = f.get();
        created += r.created().size();
        assertThat(r.created().size() + r.existing().size()).isEqualTo(2);
      }
      assertThat(created).isEqualTo(2);
      assertThat(w.revenueStore.payouts(ACME, MARCH)).hasSize(2);
    } finally {
      pool.shutdownNow();
    }
  }
}
