package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.DeductionPosting;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.metering.UsageSummaryQuery;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The code of docs/metering.md (and README.md's metering example), run. */
class MeteringSnippetsTest {

  private BillingStore store;
  private Clock clock;
  private TenantId tenant;
  private AccountId account;
  private CreditUnit credit;
  private Actor admin;
  private Actor gateway;

  @BeforeEach
  void names() {
    // tag::names[]
    BillingStore store = InMemoryBillingStore.create(); // or a JdbcBillingStore
    Clock clock = Clock.fixed(Instant.parse("2026-11-02T10:00:00Z"), ZoneOffset.UTC);
    TenantId tenant = TenantId.of("acme-ai");
    AccountId account = AccountId.of("research-team");
    CreditUnit credit = CreditUnit.of("CREDIT", 2);
    Actor admin = Actor.of("ada", Role.ADMIN);
    Actor gateway = Actor.system("inference-gateway"); // the service that sends usage
    // end::names[]
    this.store = store;
    this.clock = clock;
    this.tenant = tenant;
    this.account = account;
    this.credit = credit;
    this.admin = admin;
    this.gateway = gateway;
  }

  /** A {@code Billing} metering with {@code prices}, hourly, and the account open with credit. */
  private Billing withCredit(PriceBook prices) {
    Billing billing =
        Billing.builder()
            .store(store)
            .clock(clock)
            .metering(MeteringSettings.of(prices, Duration.ofHours(1)))
            .build();
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(tenant, account, credit).actor(admin).build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(tenant, account, Amount.of(credit, "5000"))
                .idempotencyKey(IdempotencyKey.of("starter-pack"))
                .actor(admin)
                .reason("starter pack")
                .build());
    return billing;
  }

  @Test
  void usage_is_rated_deducted_once_and_summarised() {
    // tag::overview[]
    // tag::prices[]
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN) // the one rounding per posting: stated
            .meter(
                "llm-tokens",
                MeterPrice.in(credit)
                    .when(
                        Map.of("model", "gpt-4o", "direction", "input"),
                        PriceModel.perUnit("0.0025"))
                    .when(
                        Map.of("model", "gpt-4o", "direction", "output"),
                        PriceModel.perUnit("0.01"))
                    .otherwise(PriceModel.perUnit("0.0001"))
                    .includedPerPeriod("1000") // an allowance, consumed first
                    .build())
            .meter("deployment-time", MeterPrice.of(credit, PriceModel.perHour("12")))
            .build();
    Billing billing =
        Billing.builder()
            .store(store)
            .clock(clock)
            .metering(MeteringSettings.of(prices, Duration.ofHours(1))) // the refresh interval
            .build();
    // end::prices[]
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(tenant, account, credit).actor(admin).build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(tenant, account, Amount.of(credit, "5000"))
                .idempotencyKey(IdempotencyKey.of("starter-pack"))
                .actor(admin)
                .reason("starter pack")
                .build());

    // tag::usage[]
    Meter meter =
        Meter.builder(tenant, "llm-tokens", Aggregation.SUM)
            .unit("tokens")
            .dimensions("model", "direction", "user")
            .build();
    billing.metering().defineMeter(meter, admin);

    Instant at = Instant.parse("2026-11-02T09:15:00Z");
    Map<String, String> in = Map.of("model", "gpt-4o", "direction", "input", "user", "grace");
    Map<String, String> out = Map.of("model", "gpt-4o", "direction", "output", "user", "grace");
    List<UsageEvent> events =
        List.of(
            UsageEvent.builder(tenant, account, "llm-tokens")
                .id("call-1-in")
                .quantity(BigDecimal.valueOf(1200))
                .occurredAt(at)
                .dimensions(in)
                .build(),
            UsageEvent.builder(tenant, account, "llm-tokens")
                .id("call-1-out")
                .quantity(BigDecimal.valueOf(300))
                .occurredAt(at)
                .dimensions(out)
                .build());
    billing.metering().ingest(events, gateway); // a batch; event ids deduplicate

    // From the host's scheduler, every interval (or more often; running late or twice is safe):
    DeductionReport preview = billing.deductions().dryRun(); // writes nothing
    DeductionReport report = billing.deductions().run();

    List<UsageSummaryRow> november =
        billing.metering().monthlySummaries(UsageSummaryQuery.of(tenant).month(2026, 11));
    // end::usage[]
    // end::overview[]
    assertThat(report.failures()).isEmpty();
    assertThat(posted(report)).isEqualTo(Amount.of(credit, "3.50"));
    assertThat(posted(preview)).isEqualTo(posted(report));
    assertThat(billing.deductions().run().postings()).isEmpty();
    assertThat(november).hasSize(2);
    assertThat(november.stream().map(UsageSummaryRow::credits).reduce(Amount::plus).orElseThrow())
        .isEqualTo(Amount.of(credit, "3.50"));
    assertThat(billing.credits().balance(tenant, account).available())
        .isEqualTo(Amount.of(credit, "4996.50"));
  }

  private Amount posted(DeductionReport report) {
    return report.postings().stream()
        .map(DeductionPosting::amount)
        .reduce(Amount::plus)
        .orElse(Amount.zero(credit));
  }

  @Test
  void a_deployment_is_billed_for_its_running_time_until_its_heartbeat_stops() {
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter("deployment-time", MeterPrice.of(credit, PriceModel.perHour("12")))
            .build();
    Billing billing = withCredit(prices);
    // tag::running-time[]
    Meter deployments =
        Meter.builder(tenant, "deployment-time", Aggregation.RUNNING_TIME)
            .unit("seconds")
            .dimensions("deployment", "gpu")
            .keyDimension("deployment") // names the running instance
            .heartbeatTimeout(Duration.ofMinutes(10)) // silent for longer: stopped
            .build();
    billing.metering().defineMeter(deployments, admin);

    UsageEvent started =
        UsageEvent.builder(tenant, account, "deployment-time")
            .id("llama-ft-0900")
            .quantity(BigDecimal.valueOf(2)) // two replicas from 09:00 on
            .occurredAt(Instant.parse("2026-11-02T09:00:00Z"))
            .dimension("deployment", "llama-ft")
            .dimension("gpu", "a100")
            .build();
    billing.metering().ingest(List.of(started), gateway);
    // end::running-time[]
    DeductionReport report = billing.deductions().run();
    // No heartbeat after 09:00: it ran until 09:10, 2 replicas x 600 s at 12 credits an hour.
    assertThat(report.failures()).isEmpty();
    assertThat(posted(report)).isEqualTo(Amount.of(credit, "4.00"));
  }

  @Test
  void one_llm_call_is_reserved_at_its_estimate_and_settled_at_its_price() {
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(
                "llm-tokens",
                MeterPrice.in(credit)
                    .when(Map.of("direction", "input"), PriceModel.perUnit("0.0025"))
                    .when(Map.of("direction", "output"), PriceModel.perUnit("0.01"))
                    .build())
            .build();
    Billing billing = withCredit(prices);
    billing
        .metering()
        .defineMeter(
            Meter.builder(tenant, "llm-tokens", Aggregation.SUM)
                .unit("tokens")
                .dimensions("model", "direction", "user")
                .build(),
            admin);
    // tag::per-request[]
    Map<String, String> dims = Map.of("model", "gpt-4o", "direction", "output", "user", "grace");
    // The most the call can cost, rounded up:
    BigDecimal maxTokens = BigDecimal.valueOf(4096);
    Amount estimate = billing.metering().estimate(tenant, account, "llm-tokens", maxTokens, dims);
    ReservationId hold =
        billing
            .reservations()
            .reserve(
                ReserveRequest.builder(tenant, account, Charge.usage("llm-tokens", estimate))
                    .timeToLive(Duration.ofMinutes(2))
                    .idempotencyKey(IdempotencyKey.of("call-2-hold"))
                    .actor(gateway)
                    .reason("up to 4,096 output tokens")
                    .build())
            .reservation()
            .id();

    // ... call the model, count the tokens; what they cost, with the book's rounding:
    BigDecimal usedTokens = BigDecimal.valueOf(1234);
    Amount actual = billing.metering().price(tenant, account, "llm-tokens", usedTokens, dims);
    SettlementResult settled =
        billing
            .reservations()
            .settle(
                SettleRequest.builder(tenant, hold, actual)
                    .idempotencyKey(IdempotencyKey.of("call-2-settle"))
                    .actor(gateway)
                    .reason("1,234 output tokens")
                    .build());
    // end::per-request[]
    assertThat(estimate).isEqualTo(Amount.of(credit, "40.96"));
    assertThat(settled.charged()).isEqualTo(Amount.of(credit, "12.34"));
    assertThat(billing.credits().balance(tenant, account).available())
        .isEqualTo(Amount.of(credit, "4987.66"));
  }
}
