package dev.billingsdk.event;

import dev.billingsdk.TenantId;
import dev.billingsdk.metering.DeductionReport;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Told of the facts a {@link BillingEvent} does not carry because nothing was written: a refused
 * charge, an ingest batch's outcome, a store commit's latency, a write retried or given up, a
 * rejected webhook, a deduction run. Made for metrics (billing-micrometer's {@code BillingMetrics}
 * implements it); given once to {@code Billing.builder().observer(..)}.
 *
 * <p>Every method does nothing by default, so an observer overrides only what it records, and a
 * method added in a later release breaks no observer. Methods run on the thread of the operation,
 * synchronously, so they must be quick and must not call back into the library. An observer that
 * throws is logged at warn and ignored: it never changes the outcome of a money operation.
 *
 * <p>Reasons are short, stable, lower-case tokens from a closed set (listed on each method), safe
 * to use as metric tags; no method is given an amount, a message, a secret or a request's text.
 */
public interface BillingObserver {

  /** An observer that records nothing: what {@code Billing} uses when given none. */
  static BillingObserver none() {
    return NoObserver.INSTANCE;
  }

  /**
   * A charge ({@code credits().charge}, each refused request of {@code chargeAll}, or a usage debit
   * of the deduction) was refused and posted nothing.
   *
   * @param tenant the request's tenant; null when the request itself was missing
   * @param reason {@code insufficient_credits}, {@code access_denied}, {@code invalid_request},
   *     {@code idempotency_conflict}, {@code account_not_found}, {@code unit_mismatch}, {@code
   *     concurrent_update} (the account kept changing for every attempt), {@code store_rejected},
   *     {@code store_failure}, {@code other} (another typed refusal of the library) or {@code
   *     error} (an unexpected exception)
   */
  default void chargeRefused(@Nullable TenantId tenant, String reason) {}

  /**
   * One usage ingest call ended, for the events of one tenant of the batch (a batch of several
   * tenants is told once per tenant, in order of first appearance). A refused batch stores nothing:
   * all its events count as refused, with {@code accepted} and {@code duplicates} zero.
   *
   * @param accepted events stored now
   * @param duplicates events acknowledged as already stored (same id, same payload)
   * @param refused events of a batch that was refused as a whole (unknown meter or account, a time
   *     out of range, a conflicting repeat, access denied...)
   */
  default void usageIngested(TenantId tenant, int accepted, int duplicates, int refused) {}

  /**
   * The store's {@code commit} or {@code commitBatch} of ledger writes returned (whatever it
   * answered: committed, duplicate, version conflict, rejected) or threw.
   *
   * @param writes how many writes the call carried (1 for {@code commit})
   * @param nanos how long the call took, on the observer plumbing's monotonic ticker
   * @param threw true when the call threw (the store failed) instead of answering
   */
  default void ledgerCommitted(int writes, long nanos, boolean threw) {}

  /**
   * A ledger write lost a version conflict (the account changed between its read and its commit)
   * and will be read, decided and committed again.
   *
   * @param nextAttempt the attempt about to start: 2 or more
   */
  default void ledgerWriteRetried(TenantId tenant, int nextAttempt) {}

  /**
   * A ledger write gave up.
   *
   * @param reason {@code concurrent_update} (every attempt lost a version conflict), {@code
   *     store_rejected} (the store refused the write), {@code store_failure} (the commit threw the
   *     SPI's {@code StoreFailureException}) or {@code error} (the commit threw anything else)
   */
  default void ledgerWriteFailed(TenantId tenant, String reason) {}

  /**
   * A webhook delivery was refused before anything was stored ({@code purchases().handleWebhook}).
   *
   * @param provider the configured provider's name, or {@code unknown} when the name given matches
   *     no configured provider (the name given is not passed on: it comes from the request)
   * @param reason {@code unknown_provider}, {@code invalid_request} (no body or headers), or the
   *     check that failed: {@code missing_signature}, {@code malformed_signature}, {@code
   *     signature_mismatch}, {@code timestamp_too_old}, {@code timestamp_in_future}, {@code
   *     malformed_payload}
   */
  default void webhookRejected(String provider, String reason) {}

  /**
   * A deduction run ({@code deductions().run()} or {@code dryRun()}) finished.
   *
   * @param report what the run did; {@link DeductionReport#dryRun()} says whether it wrote
   * @param lag how far the start of the oldest usage window that the run left unposted lies behind
   *     its due time ({@link DeductionReport#ratedUntil()}): zero when every (account, meter) is
   *     rated and posted up to the due time. Only a failure ({@link DeductionReport#failures()})
   *     leaves a window behind, so this is how stale the least current balance is; it grows run
   *     after run while the failure lasts.
   */
  default void deductionRan(DeductionReport report, Duration lag) {}
}
