package dev.billingsdk.event;

import dev.billingsdk.AccountId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import java.time.Instant;

/**
 * A purchase changed: created, paid, failed, expired, refunded, or marked for review.
 *
 * @param state the purchase's state after the change
 * @param amount what the change is about: the price (created, paid, failed, expired, review) or the
 *     refunded amount (refunded)
 * @param unrecovered for a refund: the credits it should have taken back but could not (already
 *     spent, and the account's overdraft policy left no room): for finance; zero otherwise
 * @param detail why, in words (the mismatch of a review, the provider's refund id)
 */
public record PurchaseUpdated(
    String id,
    TenantId tenant,
    AccountId account,
    Instant occurredAt,
    PurchaseId purchase,
    Change change,
    PurchaseState state,
    Amount amount,
    Amount unrecovered,
    String detail)
    implements BillingEvent {

  /** What happened to the purchase. */
  public enum Change {
    CREATED,
    PAID,
    FAILED,
    EXPIRED,
    REFUNDED,
    NEEDS_REVIEW
  }

  public PurchaseUpdated {
    InvalidRequestException.requireText(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
    InvalidRequestException.requireNonNull(purchase, "purchase");
    InvalidRequestException.requireNonNull(change, "change");
    InvalidRequestException.requireNonNull(state, "state");
    InvalidRequestException.requireNonNull(amount, "amount");
    InvalidRequestException.requireNonNull(unrecovered, "unrecovered");
    InputContract.text(detail, "detail", 1000);
  }
}
