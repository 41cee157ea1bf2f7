package dev.billingsdk.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.setup.Billing;
import io.micrometer.core.instrument.Meter.Id;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Each meter moves exactly as the operation says, on a real {@link Billing} over the in-memory
 * stores, recorded to Micrometer's {@link SimpleMeterRegistry}.
 */
class BillingMetricsTest {
  static final TenantId ACME = TenantId.of("acme");
  static final AccountId LAB = AccountId.of("lab");
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);
  static final Actor COLLECTOR = Actor.system("usage-collector");
  static final String TOKENS = "tokens";
  static final long TICK = 1_000;

  final MovingClock clock = new MovingClock(Instant.parse("2026-03-01T10:20:00Z"));
  final InMemoryBillingStore store = InMemoryBillingStore.create();
  final InMemoryPurchaseStore purchases = InMemoryPurchaseStore.create();
  final TestPay pay = new TestPay();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** The fake ticker of the commit timings: 1,000 ns at each reading. */
  final AtomicLong commitTicks = new AtomicLong();

  /** The fake ticker of the gauges' refresh interval: moved by the tests. */
  final AtomicLong gaugeTicks = new AtomicLong();

  BillingMetrics.Builder metricsBuilder() {
    return BillingMetrics.builder()
        .outbox(store)
        .provider(pay)
        .refreshEvery(Duration.ofSeconds(30))
        .nanoTime(gaugeTicks::get);
  }

  Billing billing(BillingMetrics metrics) {
    Billing billing =
        Billing.builder()
            .store(store)
            .clock(clock)
            .metering(
                MeteringSettings.of(
                    PriceBook.builder(RoundingMode.HALF_EVEN)
                        .meter(TOKENS, MeterPrice.of(CREDITS, PriceModel.perUnit("0.01")))
                        .build(),
                    Duration.ofHours(1)))
            .catalogue(InMemoryCatalogueStore.create())
            .purchases(purchases, purchases)
            .paymentProvider(pay)
            .listener(metrics)
            .observer(metrics, () -> commitTicks.addAndGet(TICK))
            .build();
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, LAB, CREDITS)
                .actor(ADMIN)
                .overdraftPolicy(OverdraftPolicy.reject())
                .build());
    billing
        .metering()
        .defineMeter(Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").build(), ADMIN);
    return billing;
  }

  Billing bound() {
    BillingMetrics metrics = metricsBuilder().build();
    metrics.bindTo(registry);
    return billing(metrics);
  }

  static void grant(Billing billing, String key, String amount) {
    billing
        .credits()
        .grant(
            GrantRequest.builder(ACME, LAB, Amount.of(CREDITS, amount))
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(ADMIN)
                .reason("prepaid credits")
                .build());
  }

  static ChargeResult charge(Billing billing, String key, String amount) {
    return billing
        .credits()
        .charge(
            ChargeRequest.builder(ACME, LAB, Charge.usage("llm", Amount.of(CREDITS, amount)))
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(ADMIN)
                .reason("LLM usage")
                .build());
  }

  static UsageEvent tokens(String id) {
    return UsageEvent.builder(ACME, LAB, TOKENS)
        .id(id)
        .quantity(new BigDecimal("100"))
        .occurredAt(Instant.parse("2026-03-01T10:15:00Z"))
        .build();
  }

  double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  // ------------------------------------------------------------------ charges and grants

  @Test
  void a_grant_and_a_charge_posted_count_one_each_and_time_two_commits() {
    Billing billing = bound();

    grant(billing, "g1", "100.00");
    charge(billing, "c1", "30.00");

    assertThat(count("billing.grants", "category", "promotional")).isEqualTo(1);
    assertThat(
            count("billing.charges", "outcome", "posted", "type", "usage_debit", "kind", "usage"))
        .isEqualTo(1);
    assertThat(registry.find("billing.charges.refused").counters()).isEmpty();
    var commits = registry.get("billing.store.commit").tags("outcome", "ok").timer();
    assertThat(commits.count()).isEqualTo(2);
    assertThat(commits.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(2.0 * TICK);
  }

  @Test
  void a_charge_refused_for_insufficient_credits_counts_its_reason_and_posts_nothing() {
    Billing billing = bound();
    grant(billing, "g1", "10.00");

    assertThatThrownBy(() -> charge(billing, "c1", "30.00"))
        .isInstanceOf(InsufficientCreditException.class);

    assertThat(count("billing.charges.refused", "reason", "insufficient_credits")).isEqualTo(1);
    assertThat(registry.find("billing.charges").counters()).isEmpty();
    assertThat(billing.credits().balance(ACME, LAB).available())
        .isEqualTo(Amount.of(CREDITS, "10.00"));
  }

  @Test
  void a_replayed_charge_counts_nothing_more() {
    Billing billing = bound();
    grant(billing, "g1", "100.00");
    charge(billing, "c1", "30.00");

    assertThat(charge(billing, "c1", "30.00").replayed()).isTrue();

    assertThat(count("billing.charges", "outcome", "posted")).isEqualTo(1);
    assertThat(registry.find("billing.charges.refused").counters()).isEmpty();
  }

  // ------------------------------------------------------------------ usage

  @Test
  void an_ingest_batch_with_repeats_counts_accepted_and_duplicate_events() {
    Billing billing = bound();
    billing.metering().ingest(tokens("e1"), COLLECTOR);

    billing.metering().ingest(List.of(tokens("e1"), tokens("e2"), tokens("e3")), COLLECTOR);

    assertThat(count("billing.usage.ingested", "result", "accepted")).isEqualTo(3);
    assertThat(count("billing.usage.ingested", "result", "duplicate")).isEqualTo(1);
    assertThat(registry.find("billing.usage.ingested").tag("result", "refused").counter()).isNull();
  }

  @Test
  void a_refused_ingest_batch_counts_every_event_refused() {
    Billing billing = bound();
    UsageEvent unknownMeter =
        UsageEvent.builder(ACME, LAB, "no-such-meter")
            .id("x")
            .quantity(BigDecimal.ONE)
            .occurredAt(Instant.parse("2026-03-01T10:15:00Z"))
            .build();

    assertThatThrownBy(
            () -> billing.metering().ingest(List.of(tokens("e1"), unknownMeter), COLLECTOR))
        .isInstanceOf(dev.billingsdk.metering.UnknownMeterException.class);

    assertThat(count("billing.usage.ingested", "result", "refused")).isEqualTo(2);
    assertThat(registry.find("billing.usage.ingested").tag("result", "accepted").counter())
        .isNull();
  }

  @Test
  void a_deduction_that_cannot_post_counts_a_failed_window_and_its_lag_until_it_catches_up() {
    Billing billing = bound();
    billing.metering().ingest(tokens("e1"), COLLECTOR);
    clock.set(Instant.parse("2026-03-01T12:05:00Z"));

    DeductionReport failed = billing.deductions().run();

    assertThat(failed.failures()).hasSize(1);
    assertThat(count("billing.deduction.windows", "result", "failed")).isEqualTo(1);
    assertThat(count("billing.charges.refused", "reason", "insufficient_credits"))
        .as("the usage debit was a refused charge")
        .isEqualTo(1);
    // The window [10:15, 11:00) is unposted at the run's due time 12:00.
    assertThat(registry.get("billing.deduction.lag").timeGauge().value(TimeUnit.MINUTES))
        .isEqualTo(105);

    grant(billing, "g1", "10.00");
    clock.set(Instant.parse("2026-03-01T12:06:00Z"));
    billing.deductions().dryRun();
    assertThat(registry.get("billing.deduction.lag").timeGauge().value(TimeUnit.MINUTES))
        .as("a dry run changes nothing")
        .isEqualTo(105);

    DeductionReport caughtUp = billing.deductions().run();

    assertThat(caughtUp.failures()).isEmpty();
    assertThat(count("billing.deduction.windows", "result", "posted"))
        .isEqualTo(caughtUp.postings().stream().filter(p -> p.posted()).count())
        .isPositive();
    assertThat(count("billing.deduction.windows", "result", "failed")).isEqualTo(1);
    assertThat(registry.get("billing.deduction.lag").timeGauge().value(TimeUnit.SECONDS)).isZero();
    assertThat(count("billing.charges", "outcome", "posted", "type", "usage_debit")).isEqualTo(1);
  }

  // ------------------------------------------------------------------ webhooks

  @Test
  void a_webhook_with_a_bad_signature_counts_its_provider_and_reason() {
    Billing billing = bound();
    byte[] body = "evt_1".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(
            () ->
                billing
                    .purchases()
                    .handleWebhook("testpay", body, Map.of("x-signature", List.of("forged"))))
        .isInstanceOf(WebhookRejectedException.class);
    assertThatThrownBy(
            () ->
                billing
                    .purchases()
                    .handleWebhook("made-up", body, Map.of("x-signature", List.of("ok"))))
        .isInstanceOf(dev.billingsdk.InvalidRequestException.class);
    billing.purchases().handleWebhook("testpay", body, Map.of("x-signature", List.of("ok")));

    assertThat(
            count(
                "billing.webhooks.rejected", "provider", "testpay", "reason", "signature_mismatch"))
        .isEqualTo(1);
    assertThat(
            count("billing.webhooks.rejected", "provider", "unknown", "reason", "unknown_provider"))
        .isEqualTo(1);
    assertThat(registry.find("billing.webhooks.rejected").counters()).hasSize(2);
  }

  // ------------------------------------------------------------------ tenants

  @Test
  void the_tenant_tag_is_absent_unless_the_host_opts_in() {
    Billing billing = bound();
    grant(billing, "g1", "100.00");
    charge(billing, "c1", "30.00");
    billing.metering().ingest(tokens("e1"), COLLECTOR);

    assertThat(registry.getMeters())
        .allSatisfy(m -> assertThat(m.getId().getTag("tenant")).isNull());
  }

  @Test
  void with_tenants_tagged_each_tenant_scoped_meter_carries_its_tenant() {
    BillingMetrics metrics = metricsBuilder().tagTenants(true).build();
    metrics.bindTo(registry);
    Billing billing = billing(metrics);

    grant(billing, "g1", "10.00");
    charge(billing, "c1", "3.00");
    assertThatThrownBy(() -> charge(billing, "c2", "300.00"))
        .isInstanceOf(InsufficientCreditException.class);
    billing.metering().ingest(tokens("e1"), COLLECTOR);
    assertThatThrownBy(() -> billing.credits().charge(null))
        .isInstanceOf(dev.billingsdk.InvalidRequestException.class);

    assertThat(count("billing.charges.refused", "tenant", "unknown", "reason", "invalid_request"))
        .as("a request with no tenant still carries the tag, so every meter of a name has it")
        .isEqualTo(1);
    assertThat(count("billing.grants", "tenant", "acme")).isEqualTo(1);
    assertThat(count("billing.charges", "tenant", "acme")).isEqualTo(1);
    assertThat(count("billing.charges.refused", "tenant", "acme", "reason", "insufficient_credits"))
        .isEqualTo(1);
    assertThat(count("billing.usage.ingested", "tenant", "acme", "result", "accepted"))
        .isEqualTo(1);
    assertThat(registry.get("billing.store.commit").timer().getId().getTag("tenant"))
        .as("commits are not per tenant")
        .isNull();
  }

  // ------------------------------------------------------------------ failures of the metrics

  @Test
  void a_registry_that_throws_breaks_no_charge() {
    BillingMetrics metrics = metricsBuilder().build();
    metrics.bindTo(registry);
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Id map(Id id) {
                throw new IllegalStateException("metrics backend refuses " + id.getName());
              }
            });
    Billing billing = billing(metrics);

    grant(billing, "g1", "100.00");
    assertThat(charge(billing, "c1", "30.00").replayed()).isFalse();
    assertThatThrownBy(() -> charge(billing, "c2", "300.00"))
        .isInstanceOf(InsufficientCreditException.class);

    assertThat(billing.credits().balance(ACME, LAB).available())
        .isEqualTo(Amount.of(CREDITS, "70.00"));
  }

  @Test
  void before_it_is_bound_nothing_is_recorded_and_nothing_breaks() {
    BillingMetrics metrics = metricsBuilder().build();
    Billing billing = billing(metrics);

    grant(billing, "g1", "100.00");
    charge(billing, "c1", "30.00");

    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void bound_to_two_registries_it_records_to_both() {
    MeterRegistry second = new SimpleMeterRegistry();
    BillingMetrics metrics = metricsBuilder().build();
    metrics.bindTo(registry);
    metrics.bindTo(second);
    Billing billing = billing(metrics);

    grant(billing, "g1", "100.00");

    assertThat(count("billing.grants")).isEqualTo(1);
    assertThat(second.get("billing.grants").counter().count()).isEqualTo(1);
  }
}
