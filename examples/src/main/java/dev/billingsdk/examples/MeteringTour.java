package dev.billingsdk.examples;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.DeductionPosting;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.PriceModel.Tier;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.setup.Billing;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Metering on an AI platform, on an in-memory store and a clock the tour moves: tokens of three
 * models priced per direction, a GPU deployment billed per hour across a month boundary, the hourly
 * deduction, and the monthly usage summary in credits and dollars.
 */
public final class MeteringTour {
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final TenantId TENANT = TenantId.of("acme-ai");
  static final AccountId ACCOUNT = AccountId.of("research-team");
  static final Actor ADMIN = Actor.of("ada", Role.ADMIN);
  static final Actor GATEWAY = Actor.system("inference-gateway");
  static final Instant START = Instant.parse("2026-10-31T21:00:00Z");

  private MeteringTour() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the tour, printing each step; returns every deduction posting made. */
  public static List<DeductionPosting> run(PrintStream out) {
    LifecycleTour.TourClock clock = new LifecycleTour.TourClock(START);
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(
                "llm-tokens",
                MeterPrice.in(CREDITS)
                    .when(
                        Map.of("model", "gpt-4o", "direction", "input"),
                        PriceModel.perUnit("0.0025"))
                    .when(
                        Map.of("model", "gpt-4o", "direction", "output"),
                        PriceModel.perUnit("0.01"))
                    .when(
                        Map.of("model", "claude", "direction", "input"),
                        PriceModel.perUnit("0.003"))
                    .when(
                        Map.of("model", "claude", "direction", "output"),
                        PriceModel.perUnit("0.015"))
                    // the small model: the first million tokens a month at 0.0001, then half
                    .when(
                        Map.of("model", "mini"),
                        PriceModel.graduated(Tier.upTo("1000000", "0.0001"), Tier.rest("0.00005")))
                    .build())
            .meter("gpu-time", MeterPrice.of(CREDITS, PriceModel.perHour("12")))
            .build();
    Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(clock)
            .metering(MeteringSettings.of(prices, Duration.ofHours(1)))
            .build();

    out.println("== 1. An account with 5,000 credits, two meters");
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(TENANT, ACCOUNT, CREDITS).actor(ADMIN).build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(TENANT, ACCOUNT, Amount.of(CREDITS, "5000"))
                .idempotencyKey(IdempotencyKey.of("starter-pack"))
                .actor(ADMIN)
                .reason("starter pack")
                .build());
    billing
        .metering()
        .defineMeter(
            Meter.builder(TENANT, "llm-tokens", Aggregation.SUM)
                .unit("tokens")
                .dimensions("model", "direction", "user")
                .build(),
            ADMIN);
    billing
        .metering()
        .defineMeter(
            Meter.builder(TENANT, "gpu-time", Aggregation.RUNNING_TIME)
                .unit("seconds")
                .dimensions("deployment", "gpu")
                .keyDimension("deployment")
                .build(),
            ADMIN);

    List<DeductionPosting> postings = new ArrayList<>();
    out.println("== 2. Usage arrives; the deduction runs every hour");
    // 21:30:17 the deployment starts on one GPU
    clock.advance(Duration.ofMinutes(30).plusSeconds(17));
    send(billing, running("dep-start", clock.instant(), "1"));
    for (int hour = 0; hour < 6; hour++) {
      Instant now = clock.instant();
      send(billing, tokens("h" + hour + "-a", now, "gpt-4o", "input", 40_000 + hour * 1_000));
      send(billing, tokens("h" + hour + "-b", now, "gpt-4o", "output", 9_000));
      send(billing, tokens("h" + hour + "-c", now, "claude", "input", 25_000));
      send(billing, tokens("h" + hour + "-d", now, "claude", "output", 7_777));
      send(billing, tokens("h" + hour + "-e", now, "mini", "input", 300_000));
      if (hour == 4) {
        // 01:30:17 + 40 minutes (02:10:17): the deployment stops
        clock.advance(Duration.ofMinutes(40));
        send(billing, running("dep-stop", clock.instant(), "0"));
        clock.advance(Duration.ofMinutes(-40));
      }
      clock.advance(Duration.ofHours(1));
      DeductionReport report = billing.deductions().run();
      for (DeductionPosting p : report.postings()) {
        out.printf(
            "  %s %-10s [%s, %s) %s%n",
            p.posted() ? "posted" : "planned",
            p.meter(),
            p.windowStart(),
            p.windowEnd(),
            p.amount());
        postings.add(p);
      }
      if (!report.failures().isEmpty()) {
        throw new IllegalStateException("the tour's deduction failed: " + report.failures());
      }
    }
    out.println("  balance " + billing.credits().balance(TENANT, ACCOUNT).available());

    out.println("== 3. Monthly usage summary (100 credits = 1 USD)");
    Price perDollar = Price.of(Amount.of(CurrencyUnit.of("USD"), "1"), Amount.of(CREDITS, "100"));
    for (UsageSummaryRow r :
        billing
            .metering()
            .monthlySummaries(UsageSummaryQuery.of(TENANT), perDollar, RoundingMode.HALF_EVEN)) {
      out.printf(
          "  %d-%02d %-10s %-40s %16s %14s %12s%n",
          r.year(),
          r.month(),
          r.meter(),
          r.dimensions(),
          r.quantity().toPlainString(),
          r.credits(),
          r.currency().orElseThrow());
    }
    return postings;
  }

  private static void send(Billing billing, UsageEvent event) {
    billing.metering().ingest(event, GATEWAY);
  }

  private static UsageEvent tokens(String id, Instant at, String model, String direction, long n) {
    return UsageEvent.builder(TENANT, ACCOUNT, "llm-tokens")
        .id(id)
        .quantity(BigDecimal.valueOf(n))
        .occurredAt(at)
        .dimensions(Map.of("model", model, "direction", direction, "user", "grace"))
        .build();
  }

  private static UsageEvent running(String id, Instant at, String level) {
    return UsageEvent.builder(TENANT, ACCOUNT, "gpu-time")
        .id(id)
        .quantity(new BigDecimal(level))
        .occurredAt(at)
        .dimension("deployment", "llama-finetune")
        .dimension("gpu", "a100")
        .build();
  }
}
