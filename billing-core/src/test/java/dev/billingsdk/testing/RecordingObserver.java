package dev.billingsdk.testing;

import dev.billingsdk.TenantId;
import dev.billingsdk.event.BillingObserver;
import dev.billingsdk.metering.DeductionReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * An observer that writes down every call as a line of text, in order, for the stories to compare
 * with what they did; and a fake ticker that moves {@value #TICK} nanoseconds at each reading.
 */
public final class RecordingObserver implements BillingObserver {
  /** How far the fake ticker moves at each reading. */
  public static final long TICK = 1_000;

  public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  public final List<DeductionReport> deductions = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong ticks = new AtomicLong();

  /** A ticker that reads 1,000, 2,000, 3,000... nanoseconds. */
  public LongSupplier ticker() {
    return () -> ticks.addAndGet(TICK);
  }

  /** The calls whose text starts with {@code method}. */
  public List<String> of(String method) {
    synchronized (calls) {
      return calls.stream().filter(c -> c.startsWith(method + "(")).toList();
    }
  }

  @Override
  public void chargeRefused(@Nullable TenantId tenant, String reason) {
    calls.add("chargeRefused(" + tenant + ", " + reason + ")");
  }

  @Override
  public void usageIngested(TenantId tenant, int accepted, int duplicates, int refused) {
    calls.add(
        "usageIngested(" + tenant + ", " + accepted + ", " + duplicates + ", " + refused + ")");
  }

  @Override
  public void ledgerCommitted(int writes, long nanos, boolean threw) {
    calls.add("ledgerCommitted(" + writes + ", " + nanos + ", " + threw + ")");
  }

  @Override
  public void ledgerWriteRetried(TenantId tenant, int nextAttempt) {
    calls.add("ledgerWriteRetried(" + tenant + ", " + nextAttempt + ")");
  }

  @Override
  public void ledgerWriteFailed(TenantId tenant, String reason) {
    calls.add("ledgerWriteFailed(" + tenant + ", " + reason + ")");
  }

  @Override
  public void webhookRejected(String provider, String reason) {
    calls.add("webhookRejected(" + provider + ", " + reason + ")");
  }

  @Override
  public void deductionRan(DeductionReport report, Duration lag) {
    deductions.add(report);
    calls.add(
        "deductionRan("
            + report.postings().size()
            + " postings, "
            + report.failures().size()
            + " failures, lag "
            + lag
            + ")");
  }
}
