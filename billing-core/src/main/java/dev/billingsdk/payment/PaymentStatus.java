package dev.billingsdk.payment;

/** The provider's view of a checkout's payment. */
public enum PaymentStatus {
  /** The checkout is open; nothing was paid. */
  OPEN,
  /** The buyer finished, but a delayed method (bank debit, voucher) has not settled yet. */
  PENDING,
  /** The money was received. */
  PAID,
  /** The payment failed. */
  FAILED,
  /** The checkout expired unpaid. */
  EXPIRED
}
