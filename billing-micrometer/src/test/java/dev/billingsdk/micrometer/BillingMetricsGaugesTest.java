package dev.billingsdk.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.payment.ProviderHealth.State;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.OutboxEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The gauges (outbox backlog, provider health, deduction lag), which read the outside world at most
 * once per refresh interval on the injected ticker; the counters the observer feeds directly; and
 * the builder's rules.
 */
class BillingMetricsGaugesTest {
  static final TenantId ACME = TenantId.of("acme");
  static final AccountId LAB = AccountId.of("lab");
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);
  static final long SECOND = 1_000_000_000L;

  final InMemoryBillingStore store = InMemoryBillingStore.create();
  final TestPay pay = new TestPay();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicLong ticks = new AtomicLong();
  final BillingMetrics metrics =
      BillingMetrics.builder()
          .outbox(store)
          .provider(pay)
          .refreshEvery(Duration.ofSeconds(30))
          .nanoTime(ticks::get)
          .build();

  {
    metrics.bindTo(registry);
  }

  final Billing billing =
      Billing.builder()
          .store(store)
          .clock(new MovingClock(Instant.parse("2026-03-01T10:00:00Z")))
          .listener(metrics)
          .observer(metrics)
          .build();

  void grant(String key) {
    billing
        .credits()
        .grant(
            GrantRequest.builder(ACME, LAB, Amount.of(CREDITS, "1.00"))
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(ADMIN)
                .reason("credits")
                .build());
  }

  double backlog() {
    return registry.get("billing.outbox.backlog").gauge().value();
  }

  double up() {
    return registry.get("billing.provider.up").tag("provider", "testpay").gauge().value();
  }

  @Test
  void the_backlog_counts_unacknowledged_outbox_events_read_once_per_interval() {
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(ACME, LAB, CREDITS).actor(ADMIN).build());
    grant("g1");
    assertThat(backlog()).isEqualTo(1);

    grant("g2");
    ticks.addAndGet(29 * SECOND);
    assertThat(backlog()).as("still the answer read 29 s ago").isEqualTo(1);

    ticks.addAndGet(SECOND);
    assertThat(backlog()).isEqualTo(2);

    List<OutboxEntry> pending = store.pendingEvents(10);
    store.acknowledgeEvents(pending.stream().map(OutboxEntry::position).toList());
    ticks.addAndGet(30 * SECOND);
    assertThat(backlog()).isZero();
  }

  @Test
  void provider_up_is_one_half_or_zero_by_health_asked_once_per_interval() {
    assertThat(up()).isEqualTo(1);
    assertThat(up()).isEqualTo(1);
    assertThat(pay.healthChecks).hasValue(1);

    pay.health = TestPay.health(State.DEGRADED);
    ticks.addAndGet(30 * SECOND);
    assertThat(up()).isEqualTo(0.5);

    pay.health = TestPay.health(State.DOWN);
    ticks.addAndGet(30 * SECOND);
    assertThat(up()).isZero();

    pay.health = TestPay.health(State.CONNECTED);
    pay.healthThrows = true;
    ticks.addAndGet(30 * SECOND);
    assertThat(up()).as("a health check that throws reads as down").isZero();
    assertThat(pay.healthChecks).hasValue(4);
  }

  @Test
  void a_source_that_throws_gives_the_fallback_until_the_next_read() {
    boolean[] fails = {true};
    Refreshed backlog =
        new Refreshed(
            "outbox backlog",
            () -> {
              if (fails[0]) {
                throw new IllegalStateException("database down");
              }
              return 7;
            },
            Double.NaN,
            Duration.ofSeconds(30),
            ticks::get);

    assertThat(backlog.value()).isNaN();
    fails[0] = false;
    assertThat(backlog.value()).as("not asked again within the interval").isNaN();
    ticks.addAndGet(30 * SECOND);
    assertThat(backlog.value()).isEqualTo(7);
  }

  @Test
  void an_interval_too_long_for_nanoseconds_means_read_once() {
    int[] reads = {0};
    Refreshed once =
        new Refreshed("x", () -> ++reads[0], 0, Duration.ofSeconds(Long.MAX_VALUE), ticks::get);

    once.value();
    ticks.addAndGet(1_000_000 * SECOND);
    once.value();

    assertThat(reads[0]).isEqualTo(1);
  }

  @Test
  void without_an_outbox_there_is_no_backlog_gauge() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    BillingMetrics.builder().build().bindTo(other);

    assertThat(other.find("billing.outbox.backlog").gauges()).isEmpty();
    assertThat(other.get("billing.deduction.lag").timeGauge().value(TimeUnit.SECONDS)).isZero();
  }

  @Test
  void store_retries_failures_and_failed_commits_are_counted_as_told() {
    metrics.ledgerWriteRetried(ACME, 2);
    metrics.ledgerWriteRetried(ACME, 3);
    metrics.ledgerWriteFailed(ACME, "concurrent_update");
    metrics.ledgerCommitted(3, 5_000, true);

    assertThat(registry.get("billing.store.retries").counter().count()).isEqualTo(2);
    assertThat(
            registry
                .get("billing.store.failures")
                .tag("reason", "concurrent_update")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("billing.store.commit").tag("outcome", "error").timer().count())
        .isEqualTo(1);
  }

  @Test
  void a_lag_too_long_for_nanoseconds_is_held_at_the_largest_value_and_a_negative_one_at_zero() {
    Instant at = Instant.parse("2026-03-01T12:00:00Z");
    DeductionReport report = new DeductionReport(at, at, false, List.of(), List.of());

    metrics.deductionRan(report, Duration.ofSeconds(Long.MAX_VALUE));
    assertThat(registry.get("billing.deduction.lag").timeGauge().value(TimeUnit.NANOSECONDS))
        .isEqualTo((double) Long.MAX_VALUE);

    metrics.deductionRan(report, Duration.ofSeconds(-5));
    assertThat(registry.get("billing.deduction.lag").timeGauge().value(TimeUnit.SECONDS)).isZero();
  }

  @Test
  void every_setter_refuses_a_second_call_naming_the_value_already_set() {
    BillingMetrics.Builder b =
        BillingMetrics.builder()
            .tagTenants(false)
            .provider(pay)
            .outbox(store)
            .refreshEvery(Duration.ofSeconds(5))
            .nanoTime(ticks::get);

    assertThatThrownBy(() -> b.tagTenants(true))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("tagTenants")
        .hasMessageContaining("already set to false");
    assertThatThrownBy(() -> b.provider(new TestPay()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("provider.testpay");
    assertThatThrownBy(() -> b.outbox(InMemoryBillingStore.create()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("outbox");
    assertThatThrownBy(() -> b.refreshEvery(Duration.ofSeconds(6)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("already set to PT5S");
    assertThatThrownBy(() -> b.nanoTime(() -> 0))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("nanoTime");
    assertThat(b.build().toString())
        .isEqualTo("BillingMetrics[tagTenants=false, providers=[testpay], outbox=true]");
  }

  @Test
  void bad_values_are_refused_naming_the_field() {
    assertThatThrownBy(() -> BillingMetrics.builder().refreshEvery(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("refreshEvery");
    assertThatThrownBy(() -> BillingMetrics.builder().refreshEvery(null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("refreshEvery");
    assertThatThrownBy(() -> BillingMetrics.builder().provider(null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("provider");
    assertThatThrownBy(() -> BillingMetrics.builder().outbox(null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("outbox");
    assertThatThrownBy(() -> metrics.bindTo(null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("registry");
  }
}
