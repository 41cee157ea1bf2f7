package dev.billingsdk.credit;

import dev.billingsdk.BillingException;
import dev.billingsdk.InvalidRequestException;

/**
 * What became of one request of {@link Credits#chargeAll}: it was charged (or replayed), or it was
 * refused with the same typed exception that {@link Credits#charge} would have thrown for it.
 */
public sealed interface ChargeOutcome {

  /** The request was charged now, or its idempotency key had been charged before (a replay). */
  record Charged(ChargeResult result) implements ChargeOutcome {
    public Charged {
      InvalidRequestException.requireNonNull(result, "result");
    }
  }

  /**
   * The request was refused and nothing was written for it. The reason is the exception {@link
   * Credits#charge} would have thrown: {@link InsufficientCreditException}, {@link
   * dev.billingsdk.ledger.IdempotencyConflictException}, {@link AccountNotFoundException}, {@link
   * dev.billingsdk.money.UnitMismatchException}, or {@link ConcurrentUpdateException} when the
   * account kept changing under the batch for every allowed attempt (the request may be sent
   * again).
   */
  record Refused(BillingException reason) implements ChargeOutcome {
    public Refused {
      InvalidRequestException.requireNonNull(reason, "reason");
    }
  }

  /** True for {@link Charged}. */
  default boolean charged() {
    return this instanceof Charged;
  }

  /**
   * The result of a charged request; for a refused one, the refusal is thrown, as {@link
   * #orThrow()} does.
   */
  default ChargeResult result() {
    return orThrow();
  }

  /** The result, or the refusal thrown as {@link Credits#charge} would have thrown it. */
  default ChargeResult orThrow() {
    if (this instanceof Refused r) {
      throw r.reason();
    }
    return ((Charged) this).result();
  }
}
