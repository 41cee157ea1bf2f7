package dev.billingsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.TenantId;
import dev.billingsdk.event.ChargePosted;
import dev.billingsdk.setup.Billing;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The Java of docs/spring-boot.md, run: a host's tenants bean, and a Spring listener that hears the
 * library's events from the outbox relay.
 */
class SpringSnippetsTest {

  // tag::host[]
  @Configuration
  static class BillingSetup {
    // The per-tenant jobs run for the tenants this returns, asked again before every run.
    @Bean
    BillingTenants billingTenants() {
      return () -> List.of(TenantId.of("acme"), TenantId.of("globex"));
    }

    // The outbox relay publishes each stored event as a Spring application event, after commit.
    @EventListener
    void on(ChargePosted charge) {
      posted.add(charge.account().value() + " " + charge.charged());
    }

    final List<String> posted = new ArrayList<>();
  }

  // end::host[]

  @Test
  void theOutboxRelayPublishesToSpringListenersAndTheTenantsBeanIsUsed() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataSourceAutoConfiguration.class, BillingAutoConfiguration.class))
        .withUserConfiguration(BillingSetup.class)
        .withPropertyValues(
            "spring.datasource.url=" + Fixtures.h2("snippets"),
            "billing.store.schema=apply",
            "billing.jobs.tenants=ignored-when-a-bean-says")
        .run(
            context -> {
              assertThat(context.getBean(BillingTenants.class).tenants())
                  .containsExactly(TenantId.of("acme"), TenantId.of("globex"));
              Billing billing = context.getBean(Billing.class);
              Fixtures.fund(billing, "10");
              billing.credits().charge(Fixtures.charge("2", "c-1"));
              BillingSetup host = context.getBean(BillingSetup.class);
              assertThat(host.posted).isEmpty();

              BillingJobs.JobRun run =
                  context.getBean(BillingJobs.class).run(BillingJobs.Job.OUTBOX);

              assertThat(run.failures()).isEmpty();
              assertThat(host.posted).hasSize(1);
              assertThat(context.getBean(BillingJobs.class).run(BillingJobs.Job.OUTBOX).items())
                  .isZero();
            });
  }
}
