package dev.billingsdk.spring;

import dev.billingsdk.TenantId;
import java.util.List;

/**
 * The tenants the per-tenant jobs run for (expiry, statements, renewals, top-ups). The starter
 * reads them from {@code billing.jobs.tenants} unless the host defines this bean, for instance from
 * its own tenant table; it is asked again before every run.
 */
@FunctionalInterface
public interface BillingTenants {

  /** The tenants, each once. */
  List<TenantId> tenants();

  /** A fixed list. */
  static BillingTenants of(List<TenantId> tenants) {
    List<TenantId> copy = List.copyOf(tenants);
    return () -> copy;
  }
}
