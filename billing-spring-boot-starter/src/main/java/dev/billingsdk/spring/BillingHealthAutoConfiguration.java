package dev.billingsdk.spring;

import dev.billingsdk.jdbc.JdbcBillingStore;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spring.internal.ProviderHealthIndicator;
import dev.billingsdk.spring.internal.StoreHealthIndicator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Health, as {@code billing} in the health endpoint: {@code store} (the database answers and its
 * billing schema is at this library's version) and one entry per payment provider (seed 000's
 * connection status: connected, degraded, down). Off with {@code
 * management.health.billing.enabled=false}.
 */
@AutoConfiguration(after = BillingAutoConfiguration.class)
@ConditionalOnClass(CompositeHealthContributor.class)
@ConditionalOnBean(Billing.class)
@ConditionalOnEnabledHealthIndicator("billing")
public class BillingHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "billingHealthContributor")
  CompositeHealthContributor billingHealthContributor(
      ObjectProvider<JdbcBillingStore> store,
      ObjectProvider<DataSource> dataSource,
      ObjectProvider<PaymentProvider> providers) {
    Map<String, HealthContributor> parts = new LinkedHashMap<>();
    JdbcBillingStore jdbc = store.getIfUnique();
    DataSource ds = dataSource.getIfUnique();
    if (jdbc != null && ds != null) {
      parts.put("store", new StoreHealthIndicator(jdbc, ds));
    }
    providers.orderedStream().forEach(p -> parts.put(p.name(), new ProviderHealthIndicator(p)));
    return CompositeHealthContributor.fromMap(parts);
  }
}
