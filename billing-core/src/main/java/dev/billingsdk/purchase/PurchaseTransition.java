package dev.billingsdk.purchase;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import java.time.Instant;
import java.util.Optional;

/**
 * One step of a purchase, stored with what caused it: a provider event ({@code cause} is {@code
 * <provider>:<event id>}) or a call to the library ({@code library:<operation>}). A step may stay
 * in its state ({@code from == to}) to record a review flag or a further partial refund.
 *
 * @param sequence the step's number within its purchase: 1 for the first, then one more per step
 * @param refunded what this step refunded (zero unless it is a refund)
 * @param review whether this step marks the purchase for review
 */
public record PurchaseTransition(
    TenantId tenant,
    PurchaseId purchase,
    long sequence,
    PurchaseState from,
    PurchaseState to,
    Instant at,
    String cause,
    String detail,
    Optional<String> checkoutRef,
    Optional<String> paymentRef,
    Amount refunded,
    boolean review) {

  public PurchaseTransition {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(purchase, "purchase");
    if (sequence < 1) {
      throw new InvalidRequestException("sequence", sequence, "must be at least 1");
    }
    InvalidRequestException.requireNonNull(from, "from");
    InvalidRequestException.requireNonNull(to, "to");
    boolean stays = from == to && (review || refunded.isPositive());
    if (!from.canMoveTo(to) && !stays) {
      throw new IllegalPurchaseTransitionException(purchase, from, to);
    }
    at = InputContract.instant(at, "at");
    InputContract.nonBlankText(cause, "cause", 300);
    InputContract.text(detail, "detail", 1000);
    InvalidRequestException.requireNonNull(checkoutRef, "checkoutRef");
    InvalidRequestException.requireNonNull(paymentRef, "paymentRef");
    checkoutRef.ifPresent(r -> Identifiers.check(r, "checkoutRef"));
    paymentRef.ifPresent(r -> Identifiers.check(r, "paymentRef"));
    InvalidRequestException.requireNonNull(refunded, "refunded");
    if (refunded.isNegative()) {
      throw new InvalidRequestException("refunded", refunded, "must not be negative");
    }
  }
}
