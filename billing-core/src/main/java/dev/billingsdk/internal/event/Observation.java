package dev.billingsdk.internal.event;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.BillingException;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.ConcurrentUpdateException;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.event.BillingObserver;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.money.UnitMismatchException;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.spi.StoreFailureException;
import dev.billingsdk.spi.StoreRejectedException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's {@link BillingObserver} as the services call it: every call is guarded (an observer
 * that throws is logged at warn and the operation goes on), latencies are measured on a monotonic
 * ticker given at construction ({@code System::nanoTime} in production, a fake one in tests), and
 * with no observer nothing is measured or built at all ({@link #active()}).
 */
public final class Observation {
  private static final Logger LOG = LoggerFactory.getLogger(Observation.class);
  private static final Observation NONE = new Observation(BillingObserver.none(), System::nanoTime);

  private final BillingObserver observer;
  private final LongSupplier nanoTime;
  private final boolean active;

  public Observation(BillingObserver observer, LongSupplier nanoTime) {
    this.observer = observer;
    this.nanoTime = nanoTime;
    this.active = observer != BillingObserver.none();
  }

  /** Observes nothing. */
  public static Observation none() {
    return NONE;
  }

  /** False when there is no observer: callers then skip the work of measuring. */
  public boolean active() {
    return active;
  }

  /** The ticker's reading, in nanoseconds; 0 when inactive (nothing is measured). */
  public long ticks() {
    if (!active) {
      return 0;
    }
    try {
      return nanoTime.getAsLong();
    } catch (RuntimeException e) {
      warn("ticker", e);
      return 0;
    }
  }

  public void chargeRefused(@Nullable TenantId tenant, RuntimeException refusal) {
    if (!active) {
      return;
    }
    guard("chargeRefused", () -> observer.chargeRefused(tenant, reasonOf(refusal)));
  }

  public void usageIngested(TenantId tenant, int accepted, int duplicates, int refused) {
    if (!active) {
      return;
    }
    guard("usageIngested", () -> observer.usageIngested(tenant, accepted, duplicates, refused));
  }

  /** Reports a commit call that started at {@code startTicks} (a reading of {@link #ticks()}). */
  public void ledgerCommitted(int writes, long startTicks, boolean threw) {
    if (!active) {
      return;
    }
    long nanos = Math.max(0, ticks() - startTicks);
    guard("ledgerCommitted", () -> observer.ledgerCommitted(writes, nanos, threw));
  }

  public void ledgerWriteRetried(TenantId tenant, int nextAttempt) {
    if (!active) {
      return;
    }
    guard("ledgerWriteRetried", () -> observer.ledgerWriteRetried(tenant, nextAttempt));
  }

  public void ledgerWriteFailed(TenantId tenant, RuntimeException failure) {
    if (!active) {
      return;
    }
    guard("ledgerWriteFailed", () -> observer.ledgerWriteFailed(tenant, reasonOf(failure)));
  }

  /**
   * Reports a refused webhook delivery.
   *
   * @param provider the configured provider's name, null when the name given matched none
   */
  public void webhookRejected(@Nullable String provider, RuntimeException refusal) {
    if (!active) {
      return;
    }
    String reason;
    if (provider == null) {
      reason = "unknown_provider";
    } else if (refusal instanceof WebhookRejectedException w) {
      reason = w.reason().name().toLowerCase(Locale.ROOT);
    } else {
      reason = reasonOf(refusal);
    }
    String name = provider == null ? "unknown" : provider;
    guard("webhookRejected", () -> observer.webhookRejected(name, reason));
  }

  public void deductionRan(DeductionReport report, Duration lag) {
    if (!active) {
      return;
    }
    guard("deductionRan", () -> observer.deductionRan(report, lag));
  }

  /** The stable token for a refusal or failure (see {@link BillingObserver#chargeRefused}). */
  static String reasonOf(RuntimeException e) {
    if (e instanceof InsufficientCreditException) {
      return "insufficient_credits";
    } else if (e instanceof AccessDeniedException) {
      return "access_denied";
    } else if (e instanceof IdempotencyConflictException) {
      return "idempotency_conflict";
    } else if (e instanceof AccountNotFoundException) {
      return "account_not_found";
    } else if (e instanceof UnitMismatchException) {
      return "unit_mismatch";
    } else if (e instanceof ConcurrentUpdateException) {
      return "concurrent_update";
    } else if (e instanceof StoreRejectedException) {
      return "store_rejected";
    } else if (e instanceof StoreFailureException) {
      return "store_failure";
    } else if (e instanceof InvalidRequestException) {
      return "invalid_request";
    } else if (e instanceof BillingException) {
      return "other";
    }
    return "error";
  }

  /** Runs one call of the observer; what it throws is logged, never passed on. */
  private void guard(String method, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError vm) {
        throw vm;
      }
      warn(method, e);
    }
  }

  private void warn(String method, Throwable e) {
    LOG.warn("billing observer {} failed in {}; the operation goes on", observer, method, e);
  }

  @Override
  public String toString() {
    return "Observation[" + observer + "]";
  }
}
