package dev.billingsdk.purchase;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a purchase stands: {@code CREATED -> PENDING -> PAID | FAILED | EXPIRED | CANCELED}, then
 * {@code PAID -> PARTIALLY_REFUNDED | REFUNDED}; and {@code FAILED -> PAID}, because a hosted page
 * may let the buyer try again after a failed attempt (Flutterwave's does), and a delayed method
 * reported failed may settle after all. {@link #canMoveTo} is the whole rule.
 */
public enum PurchaseState {
  /** Stored, no checkout yet. */
  CREATED,
  /** A hosted checkout exists; waiting for the buyer and the payment. */
  PENDING,
  /** Paid; its credits were granted (for a credit package). */
  PAID,
  /** The payment failed; a later successful attempt on the same checkout still pays it. */
  FAILED,
  /** The checkout expired unpaid. */
  EXPIRED,
  /** Given up before payment. */
  CANCELED,
  /** Part of the payment went back to the buyer. */
  PARTIALLY_REFUNDED,
  /** All of the payment went back to the buyer. */
  REFUNDED;

  /** Whether a purchase in this state may move to {@code next}. */
  public boolean canMoveTo(PurchaseState next) {
    return allowedNext().contains(next);
  }

  /** The states this one may move to; empty for a final state. */
  public Set<PurchaseState> allowedNext() {
    return switch (this) {
      case CREATED -> EnumSet.of(PENDING, FAILED, EXPIRED, CANCELED);
      case PENDING -> EnumSet.of(PAID, FAILED, EXPIRED, CANCELED);
      case PAID -> EnumSet.of(PARTIALLY_REFUNDED, REFUNDED);
      case PARTIALLY_REFUNDED -> EnumSet.of(PARTIALLY_REFUNDED, REFUNDED);
      case FAILED -> EnumSet.of(PAID);
      case EXPIRED, CANCELED, REFUNDED -> EnumSet.noneOf(PurchaseState.class);
    };
  }

  /** Paid at some point (refunds included). */
  public boolean wasPaid() {
    return this == PAID || this == PARTIALLY_REFUNDED || this == REFUNDED;
  }
}
