package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One month of LLM usage rated two ways (ledger rule 6): in one store every hour (720 runs), in
 * another once, after the month, in daily windows. The account, prices and usage are the same; so
 * are the ledger totals and the monthly summaries, to the minor unit.
 *
 * <p>The month: November 2026 (30 days, 720 hours). Every hour, at :10, the "large" model uses
 * 3,333 tokens, and at :40 the "small" model 7,750 tokens. Prices, in credits of 2 decimals,
 * rounded HALF_UP:
 *
 * <ul>
 *   <li>large, graduated: the first 1,000,000 tokens at 0.002, up to 5,000,000 at 0.0015, beyond at
 *       0.001;
 *   <li>small, graduated: the first 2,000,000 tokens at 0.0004, beyond at 0.0002;
 *   <li>500,000 tokens a month are included, drawn by usage in time order across both models.
 * </ul>
 *
 * <p>By hand:
 *
 * <pre>
 * an hour uses 3,333 + 7,750 = 11,083 tokens; 45 hours use 498,735 of the allowance
 * hour 46 (Nov 2, 21:10): large draws the last 1,265 tokens; small never draws again
 * large: 720 x 3,333 = 2,399,760 tokens, drew 45 x 3,333 + 1,265 = 151,250; priced 2,248,510
 *        1,000,000 x 0.002 + 1,248,510 x 0.0015 = 2,000 + 1,872.765  = 3,872.765 credits
 * small: 720 x 7,750 = 5,580,000 tokens, drew 45 x 7,750 = 348,750;      priced 5,231,250
 *        2,000,000 x 0.0004 + 3,231,250 x 0.0002 = 800 + 646.25     = 1,446.25 credits
 * total 5,319.015 credits, rounded once (HALF_UP): 5,319.02
 * </pre>
 *
 * Hour after hour the large model's cost has a fraction of a minor unit (3,333 x 0.0015 = 4.9995
 * credits); each posting rounds the running total and carries the rest, so the 675 hourly postings
 * add up to the same 5,319.02 as the 29 daily ones, not to 675 separately rounded amounts.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonthRatedHourlyVersusInOnePieceStoryTest {
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final TenantId ACME = TenantId.of("acme");
  static final AccountId LAB = AccountId.of("lab");
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);
  static final Actor GATEWAY = Actor.system("llm-gateway");
  static final String TOKENS = "llm-tokens";
  static final Instant NOVEMBER = Instant.parse("2026-11-01T00:00:00Z");
  static final Instant DECEMBER = Instant.parse("2026-12-01T00:00:00Z");

  static final PriceBook PRICES =
      PriceBook.builder(RoundingMode.HALF_UP)
          .meter(
              TOKENS,
              MeterPrice.in(CREDITS)
                  .when(
                      Map.of("model", "large"),
                      PriceModel.graduated(
                          Tier.upTo("1000000", "0.002"),
                          Tier.upTo("5000000", "0.0015"),
                          Tier.rest("0.001")))
                  .when(
                      Map.of("model", "small"),
                      PriceModel.graduated(Tier.upTo("2000000", "0.0004"), Tier.rest("0.0002")))
                  .includedPerPeriod("500000")
                  .build())
          .build();

  /** One store, deducting every {@code interval}. */
  static final class Store {
    final TestClock clock = new TestClock(NOVEMBER);
    final Billing billing;
    final List<DeductionPosting> postings = new ArrayList<>();

    Store(Duration interval) {
      billing =
          Billing.builder()
              .store(InMemoryBillingStore.create())
              .clock(clock)
              .metering(MeteringSettings.of(PRICES, interval))
              .build();
      billing
          .credits()
          .openAccount(OpenAccountRequest.builder(ACME, LAB, CREDITS).actor(ADMIN).build());
      billing
          .credits()
          .grant(
              GrantRequest.builder(ACME, LAB, Amount.of(CREDITS, "10000"))
                  .idempotencyKey(IdempotencyKey.of("prepaid-november"))
                  .actor(ADMIN)
                  .reason("prepaid credits")
                  .build());
      billing
          .metering()
          .defineMeter(
              Meter.builder(ACME, TOKENS, Aggregation.SUM)
                  .unit("tokens")
                  .dimensions("model")
                  .build(),
              ADMIN);
    }

    void use(Instant at, String model, long tokens) {
      clock.set(at);
      billing
          .metering()
          .ingest(
              UsageEvent.builder(ACME, LAB, TOKENS)
                  .id(model + "@" + at)
                  .quantity(BigDecimal.valueOf(tokens))
                  .occurredAt(at)
                  .dimensions(Map.of("model", model))
                  .build(),
              GATEWAY);
    }

    DeductionReport deduct(Instant at) {
      clock.set(at);
      DeductionReport report = billing.deductions().run();
      assertThat(report.failures()).isEmpty();
      postings.addAll(report.postings());
      return report;
    }

    Amount posted() {
      return postings.stream()
          .map(DeductionPosting::amount)
          .reduce(Amount.zero(CREDITS), Amount::plus);
    }

    long chargedPostings() {
      return postings.stream().filter(p -> !p.amount().isZero()).count();
    }

    Amount usageDebits() {
      long minor = 0;
      for (LedgerTransaction t : billing.ledger().transactions(ACME, LAB)) {
        if (t.type() == TransactionType.USAGE_DEBIT) {
          minor += t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED));
        }
      }
      return Amount.ofMinor(CREDITS, minor);
    }

    List<UsageSummaryRow> november() {
      return billing.metering().monthlySummaries(UsageSummaryQuery.of(ACME).month(2026, 11));
    }
  }

  final Store hourly = new Store(Duration.ofHours(1));
  final Store inOnePiece = new Store(Duration.ofDays(1));

  /**
   * The month's usage, sent to both stores as it happens; the hourly store deducts every hour.
   * Played once for all the checks below (one instance for the class), which only read.
   */
  @BeforeAll
  void playNovember() {
    for (int h = 0; h < 720; h++) {
      Instant hour = NOVEMBER.plus(Duration.ofHours(h));
      for (Store s : List.of(hourly, inOnePiece)) {
        s.use(hour.plus(Duration.ofMinutes(10)), "large", 3_333);
        s.use(hour.plus(Duration.ofMinutes(40)), "small", 7_750);
      }
      hourly.deduct(hour.plus(Duration.ofHours(1)));
      if (h == 45) {
        // The hour the allowance runs out: large pays for 3,333 - 1,265 = 2,068 tokens at 0.002
        // (4.136) and small for 7,750 at 0.0004 (3.10): 7.236 credits, posted as 7.24.
        assertThat(hourly.posted()).isEqualTo(Amount.of(CREDITS, "7.24"));
      }
    }
    inOnePiece.deduct(DECEMBER);
  }

  @Test
  void both_stores_post_the_hand_computed_total_rounded_once() {
    assertThat(hourly.posted()).isEqualTo(Amount.of(CREDITS, "5319.02"));
    assertThat(inOnePiece.posted()).isEqualTo(Amount.of(CREDITS, "5319.02"));
    // Hours 0 to 44 (and so day 1) are covered by the allowance and post nothing.
    assertThat(hourly.chargedPostings()).isEqualTo(720 - 45);
    assertThat(inOnePiece.chargedPostings()).isEqualTo(30 - 1);
  }

  @Test
  void the_ledgers_agree_to_the_minor_unit() {
    assertThat(hourly.usageDebits()).isEqualTo(Amount.of(CREDITS, "5319.02"));
    assertThat(inOnePiece.usageDebits()).isEqualTo(Amount.of(CREDITS, "5319.02"));
    assertThat(hourly.billing.credits().balance(ACME, LAB).available())
        .isEqualTo(Amount.of(CREDITS, "4680.98"));
    assertThat(inOnePiece.billing.credits().balance(ACME, LAB).available())
        .isEqualTo(Amount.of(CREDITS, "4680.98"));
  }

  @Test
  void the_monthly_summaries_are_identical() {
    List<UsageSummaryRow> rows = hourly.november();
    assertThat(inOnePiece.november()).isEqualTo(rows);
    assertThat(rows)
        .extracting(r -> r.dimensions().get("model"), UsageSummaryRow::quantity, r -> r.credits())
        .containsExactly(
            tuple("large", new BigDecimal("2399760"), Amount.of(CREDITS, "3872.77")),
            tuple("small", new BigDecimal("5580000"), Amount.of(CREDITS, "1446.25")));
  }

  @Test
  void nothing_is_left_to_post_in_either_store() {
    assertThat(hourly.billing.deductions().dryRun().postings()).isEmpty();
    assertThat(inOnePiece.billing.deductions().dryRun().postings()).isEmpty();
  }
}
