package dev.billingsdk.spring.internal;

import dev.billingsdk.micrometer.BillingMetrics;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spring.BillingProperties;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Builds {@link BillingMetrics}; loaded only when billing-micrometer is present. */
public final class MetricsParts {
  private MetricsParts() {}

  /**
   * The meters, with the outbox gauge on {@code store} (if any) and a health gauge per provider.
   */
  public static BillingMetrics metrics(
      BillingProperties.Metrics p, @Nullable BillingStore store, List<PaymentProvider> providers) {
    BillingMetrics.Builder b =
        BillingMetrics.builder().tagTenants(p.isTagTenants()).refreshEvery(p.getRefresh());
    if (store != null) {
      b.outbox(store);
    }
    providers.forEach(b::provider);
    return b.build();
  }
}
