package dev.billingsdk.spring.internal;

import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.payment.ProviderHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A payment provider's connection status as health: connected and degraded are {@code UP} (a
 * degraded provider still takes calls; its state and last error are in the details), down is {@code
 * DOWN}. The provider answers from what its recent calls saw; this makes no call.
 */
public final class ProviderHealthIndicator implements HealthIndicator {
  private final PaymentProvider provider;

  public ProviderHealthIndicator(PaymentProvider provider) {
    this.provider = provider;
  }

  @Override
  public Health health() {
    ProviderHealth h = provider.health();
    Health.Builder b = h.state() == ProviderHealth.State.DOWN ? Health.down() : Health.up();
    b.withDetail("state", h.state().name().toLowerCase(java.util.Locale.ROOT));
    h.lastError().ifPresent(e -> b.withDetail("lastError", e));
    h.lastErrorAt().ifPresent(t -> b.withDetail("lastErrorAt", t.toString()));
    return b.build();
  }
}
