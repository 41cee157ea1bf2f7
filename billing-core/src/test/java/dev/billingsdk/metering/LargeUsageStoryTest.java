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
 * Usage counts far beyond an {@code int} are rated exactly. Kill Bill shipped this bug (issue 1325,
 * "Large usage amount could trigger overflow": usage quantities were held in an Integer); here a
 * batch job's four and a half billion tokens in one hour must cost exactly what they say.
 */
class LargeUsageStoryTest {
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final TenantId ACME = TenantId.of("acme");
  static final AccountId BATCH = AccountId.of("team-batch");
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);
  static final Actor APP = Actor.system("inference-gateway");
  static final Instant START = Instant.parse("2026-11-02T09:00:00Z");

  final TestClock clock = new TestClock(START);
  final Billing billing =
      Billing.builder()
          .store(InMemoryBillingStore.create())
          .clock(clock)
          .metering(
              MeteringSettings.of(
                  PriceBook.builder(RoundingMode.HALF_EVEN)
                      .meter("llm-tokens", MeterPrice.of(CREDITS, PriceModel.perUnit("0.000001")))
                      .build(),
                  Duration.ofHours(1)))
          .build();

  @Test
  void four_and_a_half_billion_tokens_in_an_hour_cost_exactly_4500_credits() {
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(ACME, BATCH, CREDITS).actor(ADMIN).build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(ACME, BATCH, Amount.of(CREDITS, "10000"))
                .idempotencyKey(IdempotencyKey.of("prepaid"))
                .actor(ADMIN)
                .reason("prepaid credits")
                .build());
    billing
        .metering()
        .defineMeter(
            Meter.builder(ACME, "llm-tokens", Aggregation.SUM)
                .unit("tokens")
                .dimensions("model")
                .build(),
            ADMIN);

    clock.advance(Duration.ofMinutes(10));
    // Each event alone is below Integer.MAX_VALUE (2,147,483,647); their sum is not.
    billing
        .metering()
        .ingest(
            List.of(
                tokens("b1", "1500000000"), tokens("b2", "1500000000"), tokens("b3", "1500000000")),
            APP);

    clock.advance(Duration.ofMinutes(55));
    DeductionReport report = billing.deductions().run();

    assertThat(report.failures()).isEmpty();
    assertThat(report.postings()).hasSize(1);
    assertThat(report.postings().get(0).amount()).isEqualTo(Amount.of(CREDITS, "4500"));
    assertThat(billing.credits().balance(ACME, BATCH).available())
        .isEqualTo(Amount.of(CREDITS, "5500"));
    List<UsageSummaryRow> rows =
        billing.metering().monthlySummaries(UsageSummaryQuery.of(ACME).month(2026, 11));
    assertThat(rows)
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.quantity()).isEqualByComparingTo(new BigDecimal("4500000000"));
              assertThat(row.credits()).isEqualTo(Amount.of(CREDITS, "4500"));
            });
  }

  private UsageEvent tokens(String id, String n) {
    return UsageEvent.builder(ACME, BATCH, "llm-tokens")
        .id(id)
        .quantity(new BigDecimal(n))
        .occurredAt(clock.instant())
        .dimensions(Map.of("model", "batch"))
        .build();
  }
}
