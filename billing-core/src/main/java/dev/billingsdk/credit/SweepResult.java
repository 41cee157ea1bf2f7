package dev.billingsdk.credit;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * What a sweep posted or, in a dry run, would post.
 *
 * @param at the instant the sweep compared expiry instants with
 * @param items one per grant or reservation expired, in the order they were processed
 */
public record SweepResult(TenantId tenant, Instant at, boolean dryRun, List<SweepItem> items) {

  public SweepResult {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(at, "at");
    items = List.copyOf(items);
  }
}
