package dev.billingsdk.spring;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.event.BillingEventListener;
import dev.billingsdk.event.BillingObserver;
import dev.billingsdk.event.ListenerFailureHandler;
import dev.billingsdk.jdbc.Dialect;
import dev.billingsdk.jdbc.JdbcBillingStore;
import dev.billingsdk.jdbc.JdbcCatalogueStore;
import dev.billingsdk.jdbc.JdbcEconomyStore;
import dev.billingsdk.jdbc.JdbcProjectCostStore;
import dev.billingsdk.jdbc.JdbcProviderEventStore;
import dev.billingsdk.jdbc.JdbcPurchaseStore;
import dev.billingsdk.jdbc.JdbcRevenueStore;
import dev.billingsdk.jdbc.JdbcStatementStore;
import dev.billingsdk.jdbc.JdbcSubscriptionStore;
import dev.billingsdk.jdbc.JdbcTopUpStore;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.micrometer.BillingMetrics;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CatalogueStore;
import dev.billingsdk.spi.EconomyStore;
import dev.billingsdk.spi.ProjectCostStore;
import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.spi.PurchaseStore;
import dev.billingsdk.spi.RevenueStore;
import dev.billingsdk.spi.StatementStore;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.spi.TopUpStore;
import dev.billingsdk.spring.internal.MetricsParts;
import dev.billingsdk.spring.internal.PropertyChecks;
import dev.billingsdk.spring.internal.Providers;
import dev.billingsdk.spring.internal.SchemaReady;
import dev.billingsdk.subscription.DunningSchedule;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Billing on the application's {@code DataSource}: the JDBC stores, {@link Billing}, the payment
 * providers whose properties are set, the periodic jobs and their scheduler. Each bean backs off
 * when the application defines its own of the same type (the scheduler: of the same name). The
 * {@code billing.*} properties are checked first ({@link BillingPropertyException}).
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(Billing.class)
@ConditionalOnBooleanProperty(name = "billing.enabled", matchIfMissing = true)
@EnableConfigurationProperties(BillingProperties.class)
public class BillingAutoConfiguration {

  /**
   * The bean name of the jobs' scheduler; define a {@link TaskScheduler} of this name to replace
   * it.
   */
  public static final String SCHEDULER = "billingTaskScheduler";

  public BillingAutoConfiguration(BillingProperties properties) {
    PropertyChecks.check(properties);
  }

  /** The JDBC stores, all on the application's {@code DataSource} and one table prefix. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(DataSource.class)
  static class JdbcStores {

    /** The schema, applied or checked before any store is built. */
    @Bean
    SchemaReady billingSchema(DataSource dataSource, BillingProperties properties) {
      BillingProperties.Store p = properties.getStore();
      return SchemaReady.prepare(
          dataSource,
          dialect(p.getDialect()).orElse(null),
          p.getTablePrefix(),
          p.getSchema() == BillingProperties.SchemaMode.APPLY);
    }

    @Bean
    @ConditionalOnMissingBean(BillingStore.class)
    JdbcBillingStore billingStore(
        DataSource dataSource, SchemaReady schema, BillingProperties properties) {
      return JdbcBillingStore.builder(dataSource)
          .dialect(schema.dialect())
          .tablePrefix(schema.prefix())
          .maxAttempts(properties.getStore().getMaxAttempts())
          .build();
    }

    private static Optional<Dialect> dialect(BillingProperties.DialectName name) {
      switch (name) {
        case POSTGRESQL:
          return Optional.of(Dialect.POSTGRESQL);
        case MARIADB:
          return Optional.of(Dialect.MARIADB);
        case H2:
          return Optional.of(Dialect.H2);
        default:
          return Optional.empty();
      }
    }

    @Bean
    @ConditionalOnMissingBean(CatalogueStore.class)
    JdbcCatalogueStore billingCatalogueStore(DataSource dataSource, SchemaReady schema) {
      return JdbcCatalogueStore.create(dataSource, schema.prefix());
    }

    @Bean
    @ConditionalOnMissingBean(PurchaseStore.class)
    JdbcPurchaseStore billingPurchaseStore(DataSource dataSource, SchemaReady schema) {
      return JdbcPurchaseStore.create(dataSource, schema.prefix());
    }

    @Bean
    @ConditionalOnMissingBean(ProviderEventStore.class)
    JdbcProviderEventStore billingProviderEventStore(DataSource dataSource, SchemaReady schema) {
      return JdbcProviderEventStore.create(dataSource, schema.prefix());
    }

    @Bean
    @ConditionalOnMissingBean(EconomyStore.class)
    JdbcEconomyStore billingEconomyStore(DataSource dataSource, SchemaReady schema) {
      return JdbcEconomyStore.create(dataSource, schema.prefix());
    }

    @Bean
    @ConditionalOnMissingBean(SubscriptionStore.class)
    JdbcSubscriptionStore billingSubscriptionStore(DataSource dataSource, SchemaReady schema) {
      return JdbcSubscriptionStore.create(dataSource, schema.prefix());
    }

    @Bean
    @ConditionalOnMissingBean(TopUpStore.class)
    JdbcTopUpStore billingTopUpStore(DataSource dataSource, SchemaReady schema) {
      return JdbcTopUpStore.create(dataSource, schema.prefix());
    }

    @Bean
    @ConditionalOnMissingBean(RevenueStore.class)
    JdbcRevenueStore billingRevenueStore(DataSource dataSource, SchemaReady schema) {
      return JdbcRevenueStore.create(dataSource, schema.prefix());
    }

    @Bean
    @ConditionalOnMissingBean(StatementStore.class)
    JdbcStatementStore billingStatementStore(DataSource dataSource, SchemaReady schema) {
      return JdbcStatementStore.create(dataSource, schema.prefix());
    }

    @Bean
    @ConditionalOnMissingBean(ProjectCostStore.class)
    JdbcProjectCostStore billingProjectCostStore(DataSource dataSource, SchemaReady schema) {
      return JdbcProjectCostStore.create(dataSource, schema.prefix());
    }
  }

  /** Stripe, when its adapter is on the class path and {@code billing.stripe.api-key} is set. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.billingsdk.stripe.StripePaymentProvider")
  @ConditionalOnProperty(prefix = "billing.stripe", name = "api-key")
  static class Stripe {
    @Bean
    @ConditionalOnMissingBean(type = "dev.billingsdk.stripe.StripePaymentProvider")
    PaymentProvider stripePaymentProvider(BillingProperties p, Clock billingClock) {
      return Providers.stripe(p.getStripe(), billingClock);
    }
  }

  /** Flutterwave, when its adapter is present and {@code billing.flutterwave.secret-key} is set. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.billingsdk.flutterwave.FlutterwavePaymentProvider")
  @ConditionalOnProperty(prefix = "billing.flutterwave", name = "secret-key")
  static class Flutterwave {
    @Bean
    @ConditionalOnMissingBean(type = "dev.billingsdk.flutterwave.FlutterwavePaymentProvider")
    PaymentProvider flutterwavePaymentProvider(BillingProperties p, Clock billingClock) {
      return Providers.flutterwave(p.getFlutterwave(), billingClock);
    }
  }

  /**
   * The library's Micrometer meters ({@code billing-micrometer}), bound to the application's
   * registry by Spring Boot (it is a {@code MeterBinder}) and given to {@link Billing} as a
   * listener and its observer. Off with {@code billing.metrics.enabled=false}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "dev.billingsdk.micrometer.BillingMetrics",
        "io.micrometer.core.instrument.MeterRegistry"
      })
  @ConditionalOnBooleanProperty(name = "billing.metrics.enabled", matchIfMissing = true)
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean(BillingMetrics.class)
    BillingMetrics billingMetrics(
        BillingProperties properties,
        ObjectProvider<BillingStore> store,
        ObjectProvider<PaymentProvider> providers) {
      return MetricsParts.metrics(
          properties.getMetrics(), store.getIfUnique(), providers.orderedStream().toList());
    }
  }

  /** The clock of {@link Billing}, the providers and the jobs: the system's UTC clock. */
  @Bean
  @ConditionalOnMissingBean(Clock.class)
  Clock billingClock() {
    return Clock.systemUTC();
  }

  /** The subscriptions' dunning schedule unless the application defines one. */
  @Bean
  @ConditionalOnMissingBean(DunningSchedule.class)
  DunningSchedule billingDunningSchedule() {
    return DunningSchedule.standard();
  }

  /**
   * {@link Billing} on the stores, with every {@link PaymentProvider} (purchases, subscriptions and
   * auto-top-ups are on when there is at least one) and {@link BillingEventListener} bean (in their
   * order), and the application's {@link AccessPolicy}, {@link ListenerFailureHandler} and metering
   * ({@link MeteringSettings}, or a {@link PriceBook} with {@code
   * billing.metering.deduction-interval}) when it defines them.
   */
  @Bean
  @ConditionalOnMissingBean(Billing.class)
  @ConditionalOnBean({
    BillingStore.class,
    CatalogueStore.class,
    PurchaseStore.class,
    ProviderEventStore.class,
    EconomyStore.class,
    SubscriptionStore.class,
    TopUpStore.class,
    RevenueStore.class,
    StatementStore.class,
    ProjectCostStore.class
  })
  Billing billing(
      BillingProperties properties,
      BillingStore store,
      CatalogueStore catalogue,
      PurchaseStore purchases,
      ProviderEventStore providerEvents,
      EconomyStore economy,
      SubscriptionStore subscriptions,
      TopUpStore topUps,
      RevenueStore revenue,
      StatementStore statements,
      ProjectCostStore projectCosts,
      DunningSchedule dunning,
      Clock billingClock,
      ObjectProvider<PaymentProvider> providers,
      ObjectProvider<BillingEventListener> listeners,
      ObjectProvider<AccessPolicy> accessPolicy,
      ObjectProvider<ListenerFailureHandler> listenerFailures,
      ObjectProvider<MeteringSettings> meteringSettings,
      ObjectProvider<PriceBook> priceBook,
      ObjectProvider<BillingObserver> observer) {
    Billing.Builder b =
        Billing.builder()
            .store(store)
            .clock(billingClock)
            .catalogue(catalogue)
            .economy(economy)
            .revenue(revenue)
            .statements(statements)
            .projectCosts(projectCosts);
    // Purchases, and what pays through them (subscriptions, auto-top-ups), need a provider.
    List<PaymentProvider> configured = providers.orderedStream().collect(Collectors.toList());
    if (!configured.isEmpty()) {
      configured.forEach(b::paymentProvider);
      b.purchases(purchases, providerEvents)
          .subscriptions(subscriptions, dunning)
          .autoTopUps(topUps);
    }
    // The metrics bean is both: a listener above, and the observer here.
    listeners.orderedStream().forEach(b::listener);
    observer.ifUnique(b::observer);
    accessPolicy.ifUnique(b::accessPolicy);
    listenerFailures.ifUnique(b::listenerFailureHandler);
    MeteringSettings metering = metering(properties, meteringSettings, priceBook);
    if (metering != null) {
      b.metering(metering);
    }
    return b.build();
  }

  private static @Nullable MeteringSettings metering(
      BillingProperties properties,
      ObjectProvider<MeteringSettings> settings,
      ObjectProvider<PriceBook> priceBook) {
    MeteringSettings given = settings.getIfUnique();
    if (given != null) {
      return given;
    }
    PriceBook prices = priceBook.getIfUnique();
    if (prices == null) {
      return null;
    }
    try {
      return MeteringSettings.of(prices, properties.getMetering().getDeductionInterval());
    } catch (InvalidRequestException e) {
      throw new BillingPropertyException(
          "billing.metering.deduction-interval",
          String.valueOf(properties.getMetering().getDeductionInterval()),
          "must be whole minutes that divide a day evenly (1 minute to 24 hours)");
    }
  }

  /** The jobs' scheduler: two threads named {@code billing-}; replaced by a bean of this name. */
  @Bean(name = SCHEDULER)
  @ConditionalOnMissingBean(name = SCHEDULER)
  @ConditionalOnBooleanProperty(name = "billing.jobs.enabled", matchIfMissing = true)
  ThreadPoolTaskScheduler billingTaskScheduler() {
    ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    scheduler.setPoolSize(2);
    scheduler.setThreadNamePrefix("billing-");
    scheduler.setWaitForTasksToCompleteOnShutdown(true);
    scheduler.setAwaitTerminationSeconds(30);
    return scheduler;
  }

  /** The tenants of {@code billing.jobs.tenants}, unless the application defines its own. */
  @Bean
  @ConditionalOnMissingBean(BillingTenants.class)
  BillingTenants billingTenants(BillingProperties properties) {
    return BillingTenants.of(
        properties.getJobs().getTenants().stream()
            .map(dev.billingsdk.TenantId::of)
            .collect(Collectors.toList()));
  }

  /** The periodic jobs; the outbox relay publishes each event as a Spring application event. */
  @Bean
  @ConditionalOnMissingBean(BillingJobs.class)
  @ConditionalOnBean(Billing.class)
  @ConditionalOnBooleanProperty(name = "billing.jobs.enabled", matchIfMissing = true)
  BillingJobs billingJobs(
      Billing billing,
      BillingTenants tenants,
      @Qualifier(SCHEDULER) TaskScheduler scheduler,
      Clock billingClock,
      ApplicationEventPublisher events,
      BillingProperties properties,
      ObjectProvider<MeteringSettings> meteringSettings,
      ObjectProvider<PriceBook> priceBook,
      ObjectProvider<PaymentProvider> providers) {
    boolean metering = meteringSettings.getIfUnique() != null || priceBook.getIfUnique() != null;
    boolean payments = providers.stream().findAny().isPresent();
    return new BillingJobs(
        billing,
        tenants,
        scheduler,
        billingClock,
        events::publishEvent,
        properties.getJobs(),
        BillingJobs.supported(metering, payments));
  }
}
