package dev.billingsdk.subscription;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * What one run of the renewal job did: one item per change it made, in the order made.
 *
 * @param at the instant the run compared due instants with
 */
public record RenewalRun(TenantId tenant, Instant at, List<SubscriptionChange> changes) {
  public RenewalRun {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(at, "at");
    changes = List.copyOf(changes);
  }
}
