package dev.billingsdk.spring;

import static dev.billingsdk.spring.Fixtures.ACCOUNT;
import static dev.billingsdk.spring.Fixtures.CREDIT;
import static dev.billingsdk.spring.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.BillingEventListener;
import dev.billingsdk.jdbc.JdbcBillingStore;
import dev.billingsdk.jdbc.SchemaVersionException;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.micrometer.BillingMetrics;
import dev.billingsdk.money.Amount;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.stripe.testing.FakeStripe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** The auto-configuration on a real H2 database: what it builds, and what makes it back off. */
class BillingAutoConfigurationTest {
  private static int databases;

  private static ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataSourceAutoConfiguration.class, BillingAutoConfiguration.class))
        .withPropertyValues(
            "spring.datasource.url=" + Fixtures.h2("auto" + (++databases)),
            "billing.store.schema=apply");
  }

  @Test
  void aDataSourceIsEnoughForAWorkingBillingOnTheJdbcStores() {
    runner()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(Billing.class);
              assertThat(context).hasSingleBean(JdbcBillingStore.class);
              assertThat(context).hasSingleBean(BillingJobs.class);
              assertThat(context).hasBean(BillingAutoConfiguration.SCHEDULER);
              assertThat(context).doesNotHaveBean(PaymentProvider.class);
              Billing billing = context.getBean(Billing.class);
              Fixtures.fund(billing, "100");
              ChargeResult charged = billing.credits().charge(Fixtures.charge("30", "c-1"));
              assertThat(charged.replayed()).isFalse();
              assertThat(billing.credits().balance(TENANT, ACCOUNT).available())
                  .isEqualTo(Amount.of(CREDIT, "70"));
              // The stores that need no provider are wired.
              assertThat(billing.catalogue()).isNotNull();
              assertThat(billing.statements()).isNotNull();
              assertThat(billing.economy()).isNotNull();
              // Without a provider there are no purchases, so no renewals or top-ups; without a
              // PriceBook or MeteringSettings bean, no metering: no deduction job.
              assertThatThrownBy(billing::purchases).isInstanceOf(InvalidRequestException.class);
              assertThat(context.getBean(BillingJobs.class).schedule())
                  .containsOnlyKeys(
                      BillingJobs.Job.EXPIRY, BillingJobs.Job.STATEMENTS, BillingJobs.Job.OUTBOX)
                  .containsEntry(BillingJobs.Job.OUTBOX, Duration.ofSeconds(5))
                  .containsEntry(BillingJobs.Job.EXPIRY, Duration.ofMinutes(5))
                  .containsEntry(BillingJobs.Job.STATEMENTS, Duration.ofHours(1));
            });
  }

  @Test
  void aProvidersPropertiesBringItAndThePaymentJobs() {
    try (FakeStripe stripe = FakeStripe.start()) {
      runner()
          .withPropertyValues(
              "billing.stripe.api-key=" + stripe.secretKey(),
              "billing.stripe.webhook-secrets=" + stripe.webhookSecret(),
              "billing.stripe.base-uri=" + stripe.baseUri())
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBeansOfType(PaymentProvider.class).values())
                    .extracting(PaymentProvider::name)
                    .containsExactly("stripe");
                Billing billing = context.getBean(Billing.class);
                assertThat(billing.subscriptions()).isNotNull();
                assertThat(billing.autoTopUps()).isNotNull();
                assertThat(context.getBean(BillingJobs.class).schedule())
                    .containsOnlyKeys(
                        BillingJobs.Job.EXPIRY,
                        BillingJobs.Job.STATEMENTS,
                        BillingJobs.Job.RENEWALS,
                        BillingJobs.Job.TOP_UPS,
                        BillingJobs.Job.OUTBOX);
                // The provider's toString, as a log line would show it, holds no secret.
                assertThat(context.getBean(PaymentProvider.class).toString())
                    .doesNotContain(stripe.secretKey())
                    .doesNotContain(stripe.webhookSecret());
              });
    }
  }

  @Test
  void aPriceBookBeanTurnsOnMeteringAndTheDeduction() {
    runner()
        .withBean(PriceBook.class, () -> PriceBook.builder(RoundingMode.HALF_EVEN).build())
        .withPropertyValues("billing.metering.deduction-interval=15m")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Billing billing = context.getBean(Billing.class);
              assertThat(billing.metering()).isNotNull();
              assertThat(billing.deductions().dryRun().postings()).isEmpty();
              assertThat(context.getBean(BillingJobs.class).schedule())
                  .containsEntry(BillingJobs.Job.DEDUCTION, Duration.ofMinutes(1));
            });
    runner()
        .withBean(PriceBook.class, () -> PriceBook.builder(RoundingMode.HALF_EVEN).build())
        .withPropertyValues("billing.metering.deduction-interval=7m")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(BillingPropertyException.class)
                    .hasMessageStartingWith("Property billing.metering.deduction-interval = PT7M"));
  }

  @Test
  void theMetricsAreAListenerAndTheObserverOfBilling() {
    runner()
        .run(
            context -> {
              BillingMetrics metrics = context.getBean(BillingMetrics.class);
              SimpleMeterRegistry registry = new SimpleMeterRegistry();
              metrics.bindTo(registry);
              Billing billing = context.getBean(Billing.class);
              Fixtures.fund(billing, "10");
              billing.credits().charge(Fixtures.charge("4", "c-1"));
              assertThatThrownBy(() -> billing.credits().charge(Fixtures.charge("400", "c-2")))
                  .isInstanceOf(dev.billingsdk.BillingException.class);
              // Heard as a listener (the posted charge) and as the observer (the refusal).
              assertThat(registry.get("billing.charges").counter().count()).isEqualTo(1);
              assertThat(
                      registry
                          .get("billing.charges.refused")
                          .tag("reason", "insufficient_credits")
                          .counter()
                          .count())
                  .isEqualTo(1);
              assertThat(registry.find("billing.charges").tag("tenant", "acme").counter()).isNull();
            });
    runner()
        .withPropertyValues("billing.metrics.tag-tenants=true")
        .run(
            context -> {
              SimpleMeterRegistry registry = new SimpleMeterRegistry();
              context.getBean(BillingMetrics.class).bindTo(registry);
              Billing billing = context.getBean(Billing.class);
              Fixtures.fund(billing, "10");
              billing.credits().charge(Fixtures.charge("4", "c-1"));
              assertThat(registry.get("billing.charges").tag("tenant", "acme").counter().count())
                  .isEqualTo(1);
            });
    runner()
        .withPropertyValues("billing.metrics.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(BillingMetrics.class));
  }

  @Test
  void theListenersBeansHearTheEventsInTheirOrder() {
    runner()
        .withUserConfiguration(Listeners.class)
        .run(
            context -> {
              Billing billing = context.getBean(Billing.class);
              Fixtures.fund(billing, "10");
              billing.credits().charge(Fixtures.charge("1", "c-1"));
              List<String> heard = context.getBean(Listeners.class).heard;
              assertThat(heard).isNotEmpty();
              assertThat(heard.get(heard.size() - 2)).startsWith("first ChargePosted");
              assertThat(heard.get(heard.size() - 1)).startsWith("second ChargePosted");
            });
  }

  @Test
  void theApplicationsOwnBeansWin() {
    runner()
        .withUserConfiguration(OwnStoreAndScheduler.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(JdbcBillingStore.class);
              assertThat(context.getBean(BillingStore.class))
                  .isSameAs(context.getBean(OwnStoreAndScheduler.class).store);
              assertThat(context.getBean(Clock.class)).isSameAs(OwnStoreAndScheduler.CLOCK);
              assertThat(context.getBean(BillingAutoConfiguration.SCHEDULER))
                  .isInstanceOf(RecordingScheduler.class);
              // The jobs were scheduled on the application's scheduler when the context started.
              RecordingScheduler scheduler =
                  (RecordingScheduler) context.getBean(BillingAutoConfiguration.SCHEDULER);
              assertThat(scheduler.delays)
                  .containsExactlyInAnyOrder(
                      Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofSeconds(5));
            });
    runner()
        .withBean(
            "billing",
            Billing.class,
            () -> Billing.builder().store(InMemoryBillingStore.create()).build())
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(Billing.class)
                    .hasSingleBean(JdbcBillingStore.class));
  }

  @Test
  void theJobsAndTheWholeStarterCanBeTurnedOff() {
    runner()
        .withPropertyValues("billing.jobs.enabled=false")
        .run(
            context -> {
              assertThat(context).hasSingleBean(Billing.class);
              assertThat(context).doesNotHaveBean(BillingJobs.class);
              assertThat(context).doesNotHaveBean(BillingAutoConfiguration.SCHEDULER);
            });
    runner()
        .withPropertyValues("billing.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(Billing.class);
              assertThat(context).doesNotHaveBean(BillingStore.class);
            });
    runner()
        .withPropertyValues("billing.jobs.outbox.enabled=false", "billing.jobs.expiry.interval=30s")
        .run(
            context ->
                assertThat(context.getBean(BillingJobs.class).schedule())
                    .doesNotContainKey(BillingJobs.Job.OUTBOX)
                    .containsEntry(BillingJobs.Job.EXPIRY, Duration.ofSeconds(30)));
  }

  @Test
  void withoutTheOptionalModulesItStillStarts() {
    runner()
        .withClassLoader(
            new org.springframework.boot.test.context.FilteredClassLoader(
                "dev.billingsdk.stripe.",
                "dev.billingsdk.flutterwave.",
                "dev.billingsdk.micrometer."))
        .withPropertyValues(
            "billing.stripe.api-key=sk_test_notused", "billing.stripe.webhook-secrets=whsec_x")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(Billing.class);
              assertThat(context).doesNotHaveBean(PaymentProvider.class);
              assertThat(context).doesNotHaveBean("billingMetrics");
            });
  }

  @Test
  void withoutADataSourceItBacksOff() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BillingAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(Billing.class);
              assertThat(context).doesNotHaveBean(BillingJobs.class);
            });
  }

  @Test
  void bySchemaCheckAnEmptyDatabaseStopsTheStart() {
    runner()
        .withPropertyValues("billing.store.schema=check")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .hasRootCauseInstanceOf(SchemaVersionException.class));
  }

  @Test
  void theMetadataDescribesEveryPropertyForTheIde() throws Exception {
    JsonNode metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }
    Set<String> names = new HashSet<>();
    for (JsonNode p : metadata.get("properties")) {
      names.add(p.get("name").asText());
      assertThat(p.path("description").asText()).as(p.get("name").asText()).isNotBlank();
    }
    assertThat(names)
        .contains(
            "billing.enabled",
            "billing.store.table-prefix",
            "billing.store.schema",
            "billing.jobs.tenants",
            "billing.jobs.deduction.interval",
            "billing.jobs.top-ups.enabled",
            "billing.webhooks.path",
            "billing.metering.deduction-interval",
            "billing.stripe.api-key",
            "billing.stripe.webhook-secrets",
            "billing.flutterwave.secret-key",
            "billing.flutterwave.webhook-secret-hash");
  }

  @Configuration(proxyBeanMethods = false)
  static class Listeners {
    final List<String> heard = new ArrayList<>();

    @Bean
    @org.springframework.core.annotation.Order(2)
    BillingEventListener second() {
      return e -> heard.add("second " + name(e));
    }

    @Bean
    @org.springframework.core.annotation.Order(1)
    BillingEventListener first() {
      return e -> heard.add("first " + name(e));
    }

    private static String name(BillingEvent e) {
      return e.getClass().getSimpleName();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnStoreAndScheduler {
    static final Clock CLOCK = new Fixtures.TestClock(Fixtures.START);
    final InMemoryBillingStore store = InMemoryBillingStore.create();

    @Bean
    BillingStore myStore() {
      return store;
    }

    @Bean
    Clock myClock() {
      return CLOCK;
    }

    @Bean(name = BillingAutoConfiguration.SCHEDULER)
    TaskScheduler myScheduler() {
      return new RecordingScheduler();
    }
  }

  /** A scheduler that only records what it is asked to run (the seam between the jobs and time). */
  static final class RecordingScheduler extends ThreadPoolTaskScheduler {
    private static final long serialVersionUID = 1L;
    final List<Duration> delays = new ArrayList<>();

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
      delays.add(delay);
      return new NeverRuns();
    }
  }

  /** The future of a task that never runs. */
  static final class NeverRuns implements ScheduledFuture<Object> {
    private volatile boolean cancelled;

    @Override
    public long getDelay(java.util.concurrent.TimeUnit unit) {
      return Long.MAX_VALUE;
    }

    @Override
    public int compareTo(java.util.concurrent.Delayed o) {
      return 0;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public Object get() {
      throw new java.util.concurrent.CancellationException("never runs");
    }

    @Override
    public Object get(long timeout, java.util.concurrent.TimeUnit unit) {
      throw new java.util.concurrent.CancellationException("never runs");
    }
  }
}
