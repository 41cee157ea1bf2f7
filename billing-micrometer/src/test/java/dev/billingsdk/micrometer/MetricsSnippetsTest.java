package dev.billingsdk.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.setup.Billing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The Java of docs/metrics.md, run. */
class MetricsSnippetsTest {

  @Test
  void bindingWithoutSpring() {
    MeterRegistry registry = new SimpleMeterRegistry();
    PaymentProvider stripe = new TestPay();
    InMemoryPurchaseStore purchases = InMemoryPurchaseStore.create();
    // tag::bind[]
    InMemoryBillingStore store = InMemoryBillingStore.create(); // or a JDBC store
    BillingMetrics metrics =
        BillingMetrics.builder()
            .outbox(store) // billing.outbox.backlog; leave out for no backlog gauge
            .provider(stripe) // billing.provider.up{provider=..}; once per provider
            .tagTenants(false) // the default; see "Cardinality" below
            .build();
    metrics.bindTo(registry); // any MeterRegistry; may be bound to several
    Billing billing =
        Billing.builder()
            .store(store)
            .catalogue(InMemoryCatalogueStore.create())
            .purchases(purchases, purchases)
            .paymentProvider(stripe)
            .listener(metrics) // charges posted, grants
            .observer(metrics) // everything else
            .build();
    // end::bind[]
    assertThat(billing.purchases()).isNotNull();
    assertThat(registry.find("billing.outbox.backlog").gauge()).isNotNull();
    assertThat(registry.find("billing.provider.up").tag("provider", "testpay").gauge()).isNotNull();
  }
}
