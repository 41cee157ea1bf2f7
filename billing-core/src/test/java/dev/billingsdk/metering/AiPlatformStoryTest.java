package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An AI platform bills tokens per model, input and output priced apart, deducted every hour from
 * prepaid credits.
 */
class AiPlatformStoryTest {
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final TenantId ACME = TenantId.of("acme");
  static final AccountId TEAM = AccountId.of("team-research");
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);
  static final Actor APP = Actor.system("inference-gateway");
  static final Instant START = Instant.parse("2026-11-02T09:00:00Z");

  final TestClock clock = new TestClock(START);
  final InMemoryBillingStore store = InMemoryBillingStore.create();

  // Credits per token: gpt-4o input 0.0025, output 0.01; claude input 0.003, output 0.015;
  // a small model 0.0001 either way.
  final PriceBook prices =
      PriceBook.builder(RoundingMode.HALF_EVEN)
          .meter(
              "llm-tokens",
              MeterPrice.in(CREDITS)
                  .when(
                      Map.of("model", "gpt-4o", "direction", "input"), PriceModel.perUnit("0.0025"))
                  .when(
                      Map.of("model", "gpt-4o", "direction", "output"), PriceModel.perUnit("0.01"))
                  .when(
                      Map.of("model", "claude", "direction", "input"), PriceModel.perUnit("0.003"))
                  .when(
                      Map.of("model", "claude", "direction", "output"), PriceModel.perUnit("0.015"))
                  .when(Map.of("model", "small"), PriceModel.perUnit("0.0001"))
                  .build())
          .build();

  final Billing billing =
      Billing.builder()
          .store(store)
          .clock(clock)
          .metering(MeteringSettings.of(prices, Duration.ofHours(1)))
          .build();

  @Test
  void tokensArePricedPerModelAndDirectionAndDeductedHourly() {
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(ACME, TEAM, CREDITS).actor(ADMIN).build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(ACME, TEAM, Amount.of(CREDITS, "1000"))
                .idempotencyKey(IdempotencyKey.of("welcome"))
                .actor(ADMIN)
                .reason("welcome credits")
                .build());
    billing
        .metering()
        .defineMeter(
            Meter.builder(ACME, "llm-tokens", Aggregation.SUM)
                .unit("tokens")
                .dimensions("model", "direction", "user")
                .build(),
            ADMIN);

    clock.advance(Duration.ofMinutes(10));
    List<UsageEvent> hour1 =
        List.of(
            tokens("e1", "gpt-4o", "input", "1200", "bob"),
            tokens("e2", "gpt-4o", "output", "350", "bob"),
            tokens("e3", "claude", "input", "2000", "carol"),
            tokens("e4", "claude", "output", "777", "carol"),
            tokens("e5", "small", "input", "12345", "bob"));
    assertThat(billing.metering().ingest(hour1, APP)).noneMatch(IngestResult::duplicate);
    assertThat(billing.metering().ingest(hour1.get(0), APP).duplicate()).isTrue();

    clock.advance(Duration.ofMinutes(55)); // 10:05: the 09:00-10:00 window is due
    DeductionReport report = billing.deductions().run();
    assertThat(report.failures()).isEmpty();
    // 1200*0.0025 + 350*0.01 + 2000*0.003 + 777*0.015 + 12345*0.0001
    // = 3 + 3.5 + 6 + 11.655 + 1.2345 = 25.3895 -> 25.39 (HALF_EVEN), 0.0005 carried
    assertThat(report.postings()).hasSize(1);
    assertThat(report.postings().get(0).amount()).isEqualTo(Amount.of(CREDITS, "25.39"));
    assertThat(billing.credits().balance(ACME, TEAM).available())
        .isEqualTo(Amount.of(CREDITS, "974.61"));

    // A second run in the same hour finds nothing new.
    assertThat(billing.deductions().run().postings()).isEmpty();

    List<UsageSummaryRow> rows =
        billing.metering().monthlySummaries(UsageSummaryQuery.of(ACME).month(2026, 11));
    assertThat(rows).hasSize(5);
    assertThat(rows.stream().map(UsageSummaryRow::credits).reduce(Amount::plus).orElseThrow())
        .isEqualTo(Amount.of(CREDITS, "25.39"));
  }

  private UsageEvent tokens(String id, String model, String direction, String n, String user) {
    return UsageEvent.builder(ACME, TEAM, "llm-tokens")
        .id(id)
        .quantity(new BigDecimal(n))
        .occurredAt(clock.instant())
        .dimensions(Map.of("model", model, "direction", direction, "user", user))
        .build();
  }
}
