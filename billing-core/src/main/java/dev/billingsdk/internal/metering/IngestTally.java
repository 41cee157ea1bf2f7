package dev.billingsdk.internal.metering;

import dev.billingsdk.TenantId;
import dev.billingsdk.internal.event.Observation;
import dev.billingsdk.metering.IngestResult;
import dev.billingsdk.metering.UsageEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Counts an ingest batch's outcome per tenant for the observer ({@code
 * BillingObserver#usageIngested}): accepted and duplicate events of a stored batch, or every event
 * of a refused one, tenants told in order of first appearance. A batch is mostly one tenant's, so
 * the last tenant's counts are at hand without a look-up.
 */
final class IngestTally {
  private final Map<TenantId, int[]> counts = new LinkedHashMap<>();
  private @Nullable TenantId lastTenant;
  private int[] last = new int[3];

  private IngestTally() {}

  /** Tells the observer of a stored batch: {@code results} are in the order of {@code events}. */
  static void stored(List<UsageEvent> events, List<IngestResult> results, Observation observation) {
    IngestTally tally = new IngestTally();
    for (int i = 0; i < results.size(); i++) {
      tally.count(events.get(i).tenant())[results.get(i).duplicate() ? 1 : 0]++;
    }
    tally.report(observation);
  }

  /** Tells the observer of a refused batch: all its events are refused (nothing was stored). */
  static void refused(@Nullable List<UsageEvent> events, Observation observation) {
    if (events == null) {
      return;
    }
    IngestTally tally = new IngestTally();
    for (UsageEvent e : events) {
      if (e != null) {
        tally.count(e.tenant())[2]++;
      }
    }
    tally.report(observation);
  }

  /** The counts of {@code tenant}: accepted, duplicates, refused. */
  private int[] count(TenantId tenant) {
    if (!tenant.equals(lastTenant)) {
      lastTenant = tenant;
      last = counts.computeIfAbsent(tenant, t -> new int[3]);
    }
    return last;
  }

  private void report(Observation observation) {
    for (Map.Entry<TenantId, int[]> e : counts.entrySet()) {
      int[] c = e.getValue();
      observation.usageIngested(e.getKey(), c[0], c[1], c[2]);
    }
  }
}
